using System.Buffers.Binary;
using System.Text;
using OpenLoRA.Gguf.Peft;
using OpenLoRA.Gguf.Tests.Support;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Gguf.Tests.Peft;

public sealed class SafetensorsFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Open_WrittenFile_RoundTripsTensorsAndMetadata()
    {
        var path = _directory.Combine("a.safetensors");
        PeftAdapterWriter.WriteSafetensors(path, [("x.lora_A.weight", "F32", [2, 3], new byte[24]), ("x.lora_B.weight", "F16", [4, 2], Enumerable.Range(0, 16).Select(i => (byte)i).ToArray())]);

        var file = SafetensorsFile.Open(path);

        Assert.Equal(["x.lora_A.weight", "x.lora_B.weight"], file.Tensors.Select(t => t.Name));
        Assert.Equal([4L, 2L], file.Tensors[1].Shape);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(40, file.DataLength);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)i), file.ReadBytes(file.Tensors[1]));
    }

    [Fact]
    public void Open_TensorsListedOutOfDataOrder_Accepted()
    {
        var path = Write("""{"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8);

        var file = SafetensorsFile.Open(path);

        Assert.Equal(["b", "a"], file.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Open_HeaderOnly_HasNoTensors()
    {
        var file = SafetensorsFile.Open(Write("""{"__metadata__":{"format":"pt"}}  """, 0));

        Assert.Empty(file.Tensors);
    }

    [Theory]
    [InlineData("""{"t":{"dtype":"F32","shape":[2,2],"data_offsets":[0,8]}}""", 8, "does not match its shape")]
    [InlineData("""{"t":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""", 8, "outside the file")]
    [InlineData("""{"t":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}""", 8, "data offsets [-8, 0]")]
    [InlineData("""{"t":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", 8, "data offsets [8, 0]")]
    [InlineData("""{"t":{"dtype":"F32","shape":[2],"data_offsets":[0]}}""", 8, "data offsets [0]")]
    [InlineData("""{"t":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}""", 16, "only F32, F16 and BF16")]
    [InlineData("""{"t":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}""", 16, "only F32, F16 and BF16")]
    [InlineData("""{"t":{"dtype":"F32","shape":[0,2],"data_offsets":[0,0]}}""", 0, "invalid shape")]
    [InlineData("""{"t":{"dtype":"F32","shape":[-1,2],"data_offsets":[0,8]}}""", 8, "invalid shape")]
    [InlineData("""{"t":{"dtype":"F16","shape":[2147483647,2147483647,4],"data_offsets":[0,8]}}""", 8, "invalid shape")]
    [InlineData("""{"t":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}""", 8, "malformed")]
    [InlineData("""{"t":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}""", 8, "malformed")]
    [InlineData("""{"t":{"shape":[2],"data_offsets":[0,8]}}""", 8, "malformed")]
    [InlineData("""{"t":7}""", 8, "malformed")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "overlap")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12, "gap of 4 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 12, "8 bytes after the last tensor")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "names 'a' twice")]
    [InlineData("""{"__metadata__":{"format":1}}""", 0, "__metadata__ entry 'format' is not a string")]
    [InlineData("""{"__metadata__":[]}""", 0, "__metadata__ is not a JSON object")]
    [InlineData("""[1,2]""", 0, "not a JSON object")]
    [InlineData("""{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":1}}}}}}}}}""", 0, "not valid JSON")]
    [InlineData("""not json""", 0, "not valid JSON")]
    public void Open_MalformedHeader_RefusesWithReason(string header, int dataBytes, string reason)
    {
        var path = Write(header, dataBytes);

        var error = Assert.Throws<PeftFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Open_InvalidUtf8TensorName_Refuses()
    {
        var header = Encoding.UTF8.GetBytes("""{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""");
        header[2] = 0xC3;
        var path = WriteBytes(header, 4);

        Assert.Throws<PeftFormatException>(() => SafetensorsFile.Open(path));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Open_ShorterThanTheLengthPrefix_Refuses(int length)
    {
        var path = _directory.Combine($"short{length}.safetensors");
        File.WriteAllBytes(path, new byte[length]);

        var error = Assert.Throws<PeftFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains("fewer than its 8-byte header length", error.Message);
    }

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(ulong.MaxValue / 2)]
    [InlineData(1UL << 40)]
    [InlineData(9UL)]
    public void Open_DeclaredHeaderLongerThanTheFile_RefusesWithoutAllocating(ulong declared)
    {
        var path = _directory.Combine("huge.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declared);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<PeftFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains("the file has 8 after the length", error.Message);
    }

    [Fact]
    public void ReadBytes_FileTruncatedAfterOpen_RefusesInsteadOfReturningShortData()
    {
        var path = _directory.Combine("shrinks.safetensors");
        PeftAdapterWriter.WriteSafetensors(path, [("m.lora_A.weight", "F32", [2, 8], new byte[64])]);
        var file = SafetensorsFile.Open(path);
        using (var stream = File.OpenWrite(path))
        {
            stream.SetLength(stream.Length - 10);
        }

        var error = Assert.Throws<PeftFormatException>(() => file.ReadBytes(file.Tensors[0]));

        Assert.Contains("ended before the tensor data", error.Message);
    }

    [Fact]
    public void Open_SeededTruncationsAndFlips_OnlyEverThrowPeftFormatException()
    {
        var good = _directory.Combine("good.safetensors");
        PeftAdapterWriter.WriteSafetensors(good, [("m.lora_A.weight", "F32", [2, 8], new byte[64]), ("m.lora_B.weight", "BF16", [8, 2], new byte[32])]);
        var index = 0;
        foreach (var mutant in Corruptions.Of(File.ReadAllBytes(good), 600, seed: 7))
        {
            var path = _directory.Combine($"m{index++}.safetensors");
            File.WriteAllBytes(path, mutant);
            try
            {
                var file = SafetensorsFile.Open(path);
                Assert.All(file.Tensors, t => Assert.Equal(t.End - t.Begin, file.ReadBytes(t).Length));
            }
            catch (PeftFormatException)
            {
            }
        }
    }

    public void Dispose() => _directory.Dispose();

    private string Write(string header, int dataBytes) => WriteBytes(Encoding.UTF8.GetBytes(header), dataBytes);

    private string WriteBytes(byte[] header, int dataBytes)
    {
        var path = _directory.Combine(Guid.NewGuid().ToString("N") + ".safetensors");
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
