using System.Buffers.Binary;
using System.Text;
using OpenLoRA.Gguf.Peft;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Gguf.Tests.Peft;

public sealed class SafetensorsFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("openlora-st-").FullName;

    [Fact]
    public void Open_WrittenFile_RoundTripsTensors()
    {
        var path = Path.Combine(_directory, "a.safetensors");
        PeftAdapterWriter.WriteSafetensors(path, [("x.lora_A.weight", "F32", [2, 3], new byte[24]), ("x.lora_B.weight", "F16", [4, 2], Enumerable.Range(0, 16).Select(i => (byte)i).ToArray())]);

        var file = SafetensorsFile.Open(path);

        Assert.Equal(["x.lora_A.weight", "x.lora_B.weight"], file.Tensors.Select(t => t.Name));
        Assert.Equal([4L, 2L], file.Tensors[1].Shape);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)i), file.ReadBytes(file.Tensors[1]));
    }

    [Theory]
    [InlineData("""{"t":{"dtype":"F32","shape":[2,2],"data_offsets":[0,8]}}""", "does not match its shape")]
    [InlineData("""{"t":{"dtype":"F32","shape":[2,2],"data_offsets":[0,1600]}}""", "outside the file")]
    [InlineData("""{"t":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}""", "only F32, F16 and BF16")]
    [InlineData("""{"t":{"dtype":"F32","shape":[0,2],"data_offsets":[0,0]}}""", "invalid shape")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", "overlap")]
    [InlineData("""{"t":{"shape":[2]}}""", "malformed")]
    [InlineData("""not json""", "not valid JSON")]
    public void Open_MalformedHeader_RefusesWithReason(string header, string reason)
    {
        var path = Write(header, 16);

        var error = Assert.Throws<PeftFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Open_HugeDeclaredHeader_RefusesWithoutAllocating()
    {
        var path = Path.Combine(_directory, "huge.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue / 2);
        File.WriteAllBytes(path, bytes);

        Assert.Throws<PeftFormatException>(() => SafetensorsFile.Open(path));
    }

    [Fact]
    public void Open_RandomTruncationsAndFlips_OnlyEverThrowPeftFormatException()
    {
        var good = Path.Combine(_directory, "good.safetensors");
        PeftAdapterWriter.WriteSafetensors(good, [("m.lora_A.weight", "F32", [2, 8], new byte[64]), ("m.lora_B.weight", "F32", [8, 2], new byte[64])]);
        var bytes = File.ReadAllBytes(good);
        var random = new Random(7);
        for (var i = 0; i < 400; i++)
        {
            var mutant = i % 2 == 0 ? bytes[..random.Next(0, bytes.Length)] : (byte[])bytes.Clone();
            if (i % 2 == 1)
            {
                mutant[random.Next(mutant.Length)] ^= (byte)(1 << random.Next(8));
            }

            var path = Path.Combine(_directory, $"m{i}.safetensors");
            File.WriteAllBytes(path, mutant);
            try
            {
                SafetensorsFile.Open(path);
            }
            catch (PeftFormatException)
            {
            }
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string header, int dataBytes)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".safetensors");
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + headerBytes.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerBytes.Length);
        headerBytes.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
