using OpenLoRA.Gguf.Tests.Support;

namespace OpenLoRA.Gguf.Tests;

public sealed class GgufReaderTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public void Read_TinyModel_ReportsHeaderAndTensors()
    {
        var file = GgufReader.Read(tiny.Set.BaseModelPath);

        Assert.Equal(3u, file.Version);
        Assert.Equal(32u, file.Alignment);
        Assert.Equal("llama", file.GetString("general.architecture"));
        Assert.True(file.TryGetTensor("blk.1.attn_k.weight", out var key));
        Assert.Equal([64L, 32L], key.Dimensions);
        Assert.Equal(GgmlType.F32, key.Type);
        Assert.Equal(0, file.DataOffset % 32);
        Assert.True(file.TensorInfoPosition < file.DataOffset);
        Assert.Equal(new FileInfo(tiny.Set.BaseModelPath).Length, file.FileLength);
    }

    [Fact]
    public void Read_NonSeekableStream_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => GgufReader.Read(new NonSeekableStream()));
    }

    [Fact]
    public void Read_EmptyFile_ThrowsFormatException()
    {
        var error = Assert.Throws<GgufFormatException>(() => GgufReader.Read(new MemoryStream()));

        Assert.Contains("file ends at byte 0 while reading the magic number", error.Message);
    }

    [Fact]
    public void Read_NestedArray_ThrowsFormatException()
    {
        byte[] header = [.. "GGUF"u8, 3, 0, 0, 0, .. new byte[8], 1, 0, 0, 0, 0, 0, 0, 0];
        byte[] key = [1, 0, 0, 0, 0, 0, 0, 0, (byte)'k', 9, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];

        var error = Assert.Throws<GgufFormatException>(() => GgufReader.Read(new MemoryStream([.. header, .. key, .. new byte[16]])));

        Assert.Contains("'k' is an array of arrays", error.Message);
    }

    [Fact]
    public void Read_RandomlyCorruptedAdapters_ThrowsOnlyFormatExceptions()
    {
        var original = File.ReadAllBytes(tiny.AdapterPath("tiny-all-r2"));

        foreach (var bytes in Corruptions.Of(original, 1500, seed: 7))
        {
            try
            {
                GgufReader.Read(new MemoryStream(bytes));
            }
            catch (GgufFormatException)
            {
            }
        }
    }

    [Fact]
    public void Read_RandomlyCorruptedModelHeader_ThrowsOnlyFormatExceptions()
    {
        var file = GgufReader.Read(tiny.Set.BaseModelPath);
        var header = File.ReadAllBytes(tiny.Set.BaseModelPath)[..(int)file.DataOffset];

        foreach (var bytes in Corruptions.Of(header, 300, seed: 11))
        {
            try
            {
                GgufReader.Read(new MemoryStream(bytes));
            }
            catch (GgufFormatException)
            {
            }
        }
    }

    private sealed class NonSeekableStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
