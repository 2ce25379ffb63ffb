using System.Text;

namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014). Our own generator rather than <see cref="Random"/>, whose algorithm
/// may change between .NET versions: generated models must stay byte-identical for a given seed.
/// Only integer arithmetic and exact float scaling are used, so the output is the same on every platform.
/// </summary>
public sealed class DeterministicRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>An independent stream for <paramref name="name"/> (e.g. a tensor name) under <paramref name="seed"/>.</summary>
    public static DeterministicRandom ForStream(int seed, string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        // FNV-1a over the UTF-8 name, then mixed with the seed so nearby seeds give unrelated streams.
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        var mixer = new DeterministicRandom(hash ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL));
        return new DeterministicRandom(mixer.NextUInt64());
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>Uniform in [0, 1) with 24 random bits, exactly representable as a float.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Fills with values uniform in [-amplitude, amplitude).</summary>
    public void FillSymmetric(Span<float> values, float amplitude)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ((2f * NextSingle()) - 1f) * amplitude;
        }
    }
}
