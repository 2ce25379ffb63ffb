using System.Buffers.Binary;
using System.Globalization;

namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// Seeded mutants of a valid safetensors file: mostly its JSON header mutated by <see cref="JsonMutator"/> and
/// framed again with its new length (sometimes with the old one), else a forged header length or a truncated or
/// bit-flipped file. Deterministic per seed, like <see cref="JsonMutator"/>.
/// </summary>
public sealed class SafetensorsMutator
{
    private readonly byte[] _valid;
    private readonly byte[] _data;
    private readonly ulong _headerLength;
    private readonly JsonMutator _header;
    private readonly DeterministicRandom _random;

    public SafetensorsMutator(byte[] valid, int seed)
    {
        ArgumentNullException.ThrowIfNull(valid);
        _valid = valid;
        _headerLength = BinaryPrimitives.ReadUInt64LittleEndian(valid);
        _header = new JsonMutator(valid[8..(8 + (int)_headerLength)], seed);
        _data = valid[(8 + (int)_headerLength)..];
        _random = DeterministicRandom.ForStream(seed, "safetensors-mutator");
    }

    public (byte[] Bytes, string Operators) Next()
    {
        var choice = _random.NextInt(20);
        if (choice < 15)
        {
            var (header, operators) = _header.Next();
            var keepOldLength = choice == 0;
            return (Frame(keepOldLength ? _headerLength : (ulong)header.Length, header, _data), keepOldLength ? operators + " (old length)" : operators);
        }

        if (choice < 18)
        {
            ulong[] lengths = [0, 1, _headerLength - 1, _headerLength + 1, (ulong)_valid.Length, ulong.MaxValue, 64UL << 20, _random.NextUInt64()];
            var length = lengths[_random.NextInt(lengths.Length)];
            var copy = (byte[])_valid.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(copy, length);
            return (copy, string.Create(CultureInfo.InvariantCulture, $"header length {length}"));
        }

        if (choice == 18)
        {
            var length = _random.NextInt(_valid.Length);
            return (_valid[..length], string.Create(CultureInfo.InvariantCulture, $"file truncated to {length}"));
        }

        var flipped = (byte[])_valid.Clone();
        var at = _random.NextInt(flipped.Length);
        flipped[at] ^= (byte)(1 << _random.NextInt(8));
        return (flipped, string.Create(CultureInfo.InvariantCulture, $"bit flip at {at}"));
    }

    private static byte[] Frame(ulong length, byte[] header, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }
}
