using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Gguf.Tests.Support;

/// <summary>Seeded random corruptions of a file: byte flips, and truncations.</summary>
internal static class Corruptions
{
    public static IEnumerable<byte[]> Of(byte[] original, int count, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        for (var i = 0; i < count; i++)
        {
            var bytes = (byte[])original.Clone();
            if (i % 5 == 4)
            {
                yield return bytes[..random.NextInt(bytes.Length)];
                continue;
            }

            var flips = 1 + random.NextInt(4);
            for (var f = 0; f < flips; f++)
            {
                bytes[random.NextInt(bytes.Length)] ^= (byte)(1 + random.NextInt(255));
            }

            yield return bytes;
        }
    }
}
