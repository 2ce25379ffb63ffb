using System.Buffers.Binary;
using System.Text;
using OpenLoRA.Gguf;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.IntegrationTests.Validation;

/// <summary>
/// Seeded corruptions of a good adapter, spread over the parts of a GGUF file that fail differently: the fixed
/// header, the metadata, the tensor infos and the tensor data (including exponent bits, which make NaN and huge
/// weights), plus multi-byte damage and truncations at many lengths, some inside the last tensor.
/// </summary>
internal static class AdapterMutants
{
    public static IEnumerable<Mutant> Of(string adapterPath, int seed)
    {
        var original = File.ReadAllBytes(adapterPath);
        var file = GgufReader.Read(adapterPath);
        var stem = Path.GetFileNameWithoutExtension(adapterPath);
        var random = DeterministicRandom.ForStream(seed, stem);
        var regions = new (string Name, long Start, long End, int Count)[]
        {
            ("header", 0, 24, 20),
            ("metadata", 24, file.TensorInfoPosition, 30),
            ("tensor-info", file.TensorInfoPosition, file.DataOffset, 30),
            ("data", file.DataOffset, original.Length, 20),
        };
        var index = 0;
        foreach (var (region, start, end, count) in regions)
        {
            for (var i = 0; i < count; i++)
            {
                var position = start + random.NextInt((int)(end - start));
                var mask = (byte)(1 + random.NextInt(255));
                yield return Flip(original, $"{stem}-{index++:D3}", $"{stem}: {region} byte {position} ^= 0x{mask:X2}", [(position, mask)]);
            }
        }

        foreach (var mutant in ExponentFlips(original, file, stem, random, 10).Concat(FieldEdits(original, file, stem, random, 30)))
        {
            yield return mutant with { Name = $"{stem}-{index++:D3}" };
        }

        for (var i = 0; i < 20; i++)
        {
            var flips = Enumerable.Range(0, 2 + random.NextInt(7))
                .Select(_ => ((long)random.NextInt(original.Length), (byte)(1 + random.NextInt(255))))
                .ToArray();
            var where = string.Join(", ", flips.Select(f => $"{f.Item1}^0x{f.Item2:X2}"));
            yield return Flip(original, $"{stem}-{index++:D3}", $"{stem}: multi-byte flips {where}", flips);
        }

        foreach (var length in TruncationLengths(original.Length, file, random, 15))
        {
            yield return new Mutant($"{stem}-{index++:D3}", $"{stem}: truncated to {length} of {original.Length} bytes", original[..length]);
        }
    }

    /// <summary>Flips one bit in the most significant byte of a weight: sign or exponent, the bits that make NaN/Inf/huge values.</summary>
    private static IEnumerable<Mutant> ExponentFlips(byte[] original, GgufFile file, string stem, DeterministicRandom random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var tensor = file.Tensors[random.NextInt(file.Tensors.Count)];
            var elementBytes = (int)(tensor.ByteSize / tensor.ElementCount);
            var element = random.NextInt((int)tensor.ElementCount);
            var position = file.DataOffset + tensor.Offset + ((long)element * elementBytes) + elementBytes - 1;
            var mask = (byte)(1 << random.NextInt(8));
            yield return Flip(original, stem, $"{stem}: tensor '{tensor.Name}' element {element} top byte ^= 0x{mask:X2}", [(position, mask)]);
        }
    }

    /// <summary>
    /// Overwrites the fields where a single bad value kills llama.cpp: a tensor's type, dimension count or a
    /// dimension (0 included), or the value type of a metadata key.
    /// </summary>
    private static IEnumerable<Mutant> FieldEdits(byte[] original, GgufFile file, string stem, DeterministicRandom random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var tensor = file.Tensors[random.NextInt(file.Tensors.Count)];
            var bytes = (byte[])original.Clone();
            var nameBytes = Encoding.UTF8.GetByteCount(tensor.Name);
            var dimensionCount = tensor.InfoPosition + 8 + nameBytes;
            var typeField = dimensionCount + 4 + (8 * tensor.Dimensions.Count);
            string description;
            switch (i % 4)
            {
                case 0:
                    var type = (uint)random.NextInt(40);
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)typeField), type);
                    description = $"tensor '{tensor.Name}' type = {type}";
                    break;
                case 1:
                    var dimension = random.NextInt(tensor.Dimensions.Count);
                    var value = random.NextInt(3) switch { 0 => 0L, 1 => 1L, _ => tensor.Dimensions[dimension] ^ (1L << random.NextInt(12)) };
                    BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan((int)(dimensionCount + 4 + (8 * dimension))), value);
                    description = $"tensor '{tensor.Name}' dimension {dimension} = {value}";
                    break;
                case 2:
                    var dimensions = (uint)random.NextInt(6);
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)dimensionCount), dimensions);
                    description = $"tensor '{tensor.Name}' dimension count = {dimensions}";
                    break;
                default:
                    var key = file.Metadata[random.NextInt(file.Metadata.Count)].Key;
                    var valueType = (uint)random.NextInt(13);
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(ValueTypePosition(original, key)), valueType);
                    description = $"metadata '{key}' value type = {valueType}";
                    break;
            }

            yield return new Mutant(stem, $"{stem}: {description}", bytes);
        }
    }

    /// <summary>The u32 value type follows the key, which is stored as a u64 length and its UTF-8 bytes.</summary>
    private static int ValueTypePosition(byte[] bytes, string key)
    {
        var encoded = Encoding.UTF8.GetBytes(key);
        var prefixed = new byte[8 + encoded.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(prefixed, (ulong)encoded.Length);
        encoded.CopyTo(prefixed, 8);
        return bytes.AsSpan().IndexOf(prefixed) + prefixed.Length;
    }

    private static IEnumerable<int> TruncationLengths(int length, GgufFile file, DeterministicRandom random, int count)
    {
        var last = file.Tensors[^1];
        var lastStart = (int)(file.DataOffset + last.Offset);
        var lengths = new SortedSet<int> { length - 1, length - 4, lastStart + 1, lastStart + ((int)last.ByteSize / 2), (int)file.DataOffset, 24 };
        while (lengths.Count < count)
        {
            lengths.Add(random.NextInt(length));
        }

        return lengths;
    }

    private static Mutant Flip(byte[] original, string name, string description, (long Position, byte Mask)[] flips)
    {
        var bytes = (byte[])original.Clone();
        foreach (var (position, mask) in flips)
        {
            bytes[position] ^= mask;
        }

        return new Mutant(name, description, bytes);
    }
}
