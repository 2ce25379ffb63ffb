namespace OpenLoRA.IntegrationTests.Adapters.Scale;

/// <summary>Draws ranks 0..n-1 with probability ∝ 1/(rank+1)^s from a seeded generator (deterministic).</summary>
internal sealed class ZipfSampler
{
    private readonly double[] _cumulative;
    private readonly Random _random;

    public ZipfSampler(int n, double exponent, int seed)
    {
        _cumulative = new double[n];
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            total += 1.0 / Math.Pow(i + 1, exponent);
            _cumulative[i] = total;
        }

        for (var i = 0; i < n; i++)
        {
            _cumulative[i] /= total;
        }

        _random = new Random(seed);
    }

    public int Next()
    {
        var index = Array.BinarySearch(_cumulative, _random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
    }
}
