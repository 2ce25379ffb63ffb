using System.Security.Cryptography;

namespace OpenLoRA.Gguf.Tests;

public sealed class GgufWriterTests
{
    [Fact]
    public void WriteTo_EveryValueType_ReadsBackIdentical()
    {
        var writer = new GgufWriter()
            .Add("u8", GgufValue.From((byte)200))
            .Add("i8", GgufValue.From((sbyte)-100))
            .Add("u16", GgufValue.From((ushort)60000))
            .Add("i16", GgufValue.From((short)-30000))
            .Add("u32", GgufValue.From(4_000_000_000u))
            .Add("i32", GgufValue.From(-2_000_000_000))
            .Add("f32", GgufValue.From(1.5f))
            .Add("bool", GgufValue.From(true))
            .Add("string", GgufValue.From("héllo ✓"))
            .Add("u64", GgufValue.From(ulong.MaxValue))
            .Add("i64", GgufValue.From(long.MinValue))
            .Add("f64", GgufValue.From(Math.PI))
            .Add("strings", GgufValue.FromArray(["a", "", "ĠΩ"]))
            .Add("floats", GgufValue.FromArray([1f, -2f, float.Epsilon]))
            .Add("bools", GgufValue.FromArray([true, false]))
            .Add("empty", GgufValue.FromArray(Array.Empty<long>()));

        var file = RoundTrip(writer, out _);

        Assert.Equal(3u, file.Version);
        Assert.Equal(16, file.Metadata.Count);
        Assert.Equal((byte)200, file.Metadata[0].Value.Get<byte>());
        Assert.Equal((sbyte)-100, file.Metadata[1].Value.Get<sbyte>());
        Assert.Equal((ushort)60000, file.Metadata[2].Value.Get<ushort>());
        Assert.Equal((short)-30000, file.Metadata[3].Value.Get<short>());
        Assert.Equal(4_000_000_000u, file.Metadata[4].Value.Get<uint>());
        Assert.Equal(-2_000_000_000, file.Metadata[5].Value.Get<int>());
        Assert.Equal(1.5f, file.Metadata[6].Value.Get<float>());
        Assert.True(file.Metadata[7].Value.Get<bool>());
        Assert.Equal("héllo ✓", file.GetString("string"));
        Assert.Equal(ulong.MaxValue, file.Metadata[9].Value.Get<ulong>());
        Assert.Equal(long.MinValue, file.Metadata[10].Value.Get<long>());
        Assert.Equal(Math.PI, file.Metadata[11].Value.Get<double>());
        Assert.Equal(["a", "", "ĠΩ"], file.Metadata[12].Value.GetArray<string>());
        Assert.Equal([1f, -2f, float.Epsilon], file.Metadata[13].Value.GetArray<float>());
        Assert.Equal([true, false], file.Metadata[14].Value.GetArray<bool>());
        Assert.Empty(file.Metadata[15].Value.GetArray<long>());
        Assert.Equal(GgufValueType.Int64, file.Metadata[15].Value.ElementType);
    }

    [Fact]
    public void WriteTo_ArrayLargerThanDirectAllocation_ReadsBackIdentical()
    {
        var ids = Enumerable.Range(0, 300_000).Select(i => (uint)i).ToArray();

        var file = RoundTrip(new GgufWriter().Add("ids", GgufValue.FromArray(ids)), out _);

        Assert.Equal(ids, file.Metadata[0].Value.GetArray<uint>());
    }

    [Fact]
    public void WriteTo_FloatTensors_ReadBackWithTheirTypesRounding()
    {
        float[] values = [0f, 1f, -1.5f, 3.14159f, 1e-3f, 65504f];
        var writer = new GgufWriter()
            .AddTensor("f32", GgmlType.F32, [3, 2], d => d.WriteValues(values))
            .AddTensor("f16", GgmlType.F16, [6], d => d.WriteValues(values))
            .AddTensor("bf16", GgmlType.BF16, [2, 3], d => d.WriteValues(values));

        var file = RoundTrip(writer, out var bytes);
        using var stream = new MemoryStream(bytes);

        Assert.Equal(values, GgufReader.ReadTensorValues(stream, file, file.Tensors[0]));
        Assert.Equal(values.Select(v => (float)(Half)v), GgufReader.ReadTensorValues(stream, file, file.Tensors[1]));
        var bf16 = GgufReader.ReadTensorValues(stream, file, file.Tensors[2]);
        Assert.All(values.Zip(bf16), pair => Assert.Equal(pair.First, pair.Second, Math.Abs(pair.First) / 128f));
        Assert.Equal([3L, 2L], file.Tensors[0].Dimensions);
        Assert.Equal(24, file.Tensors[0].ByteSize);
        Assert.Equal(32, file.Tensors[1].Offset);
        Assert.Equal(64, file.Tensors[2].Offset);
    }

    [Fact]
    public void WriteTo_CustomAlignment_AlignsDataSectionAndOffsets()
    {
        var writer = new GgufWriter()
            .Add("general.alignment", GgufValue.From(256u))
            .AddTensor("a", GgmlType.F32, [3], d => d.WriteValues([1f, 2f, 3f]))
            .AddTensor("b", GgmlType.F32, [1], d => d.WriteValues([4f]));

        var file = RoundTrip(writer, out var bytes);

        Assert.Equal(256u, file.Alignment);
        Assert.Equal(0, file.DataOffset % 256);
        Assert.Equal(256, file.Tensors[1].Offset);
        Assert.Equal(file.DataOffset + 512, bytes.Length);
    }

    [Fact]
    public void WriteTo_SameAdditionsTwice_ByteIdentical()
    {
        static byte[] Write()
        {
            var writer = new GgufWriter()
                .Add("general.architecture", GgufValue.From("llama"))
                .AddTensor("t", GgmlType.F16, [4, 4], d => d.WriteValues(Enumerable.Range(0, 16).Select(i => i / 3f).ToArray()));
            using var stream = new MemoryStream();
            writer.WriteTo(stream);
            return stream.ToArray();
        }

        Assert.Equal(SHA256.HashData(Write()), SHA256.HashData(Write()));
    }

    [Fact]
    public void WriteTo_TensorDataShort_Throws()
    {
        var writer = new GgufWriter().AddTensor("t", GgmlType.F32, [4], d => d.WriteValues([1f]));

        var error = Assert.Throws<InvalidOperationException>(() => writer.WriteTo(new MemoryStream()));
        Assert.Contains("12 bytes short", error.Message);
    }

    [Fact]
    public void WriteTo_TensorDataTooLong_Throws()
    {
        var writer = new GgufWriter().AddTensor("t", GgmlType.F32, [1], d => d.WriteValues([1f, 2f]));

        Assert.Throws<InvalidOperationException>(() => writer.WriteTo(new MemoryStream()));
    }

    [Fact]
    public void Add_DuplicateKey_Throws()
    {
        var writer = new GgufWriter().Add("k", GgufValue.From(1u));

        Assert.Throws<ArgumentException>(() => writer.Add("k", GgufValue.From(2u)));
    }

    [Fact]
    public void AddTensor_RowNotWholeBlocks_Throws()
    {
        Assert.Throws<ArgumentException>(() => new GgufWriter().AddTensor("q", GgmlType.Q8_0, [31], _ => { }));
    }

    internal static GgufFile RoundTrip(GgufWriter writer, out byte[] bytes)
    {
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        bytes = stream.ToArray();
        return GgufReader.Read(new MemoryStream(bytes));
    }
}
