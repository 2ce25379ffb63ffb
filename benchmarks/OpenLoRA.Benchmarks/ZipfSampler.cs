namespace OpenLoRA.Benchmarks;

/// <summary>
/// Draws ranks 0..n-1 with P(rank k) ∝ 1 / (k + 1)^exponent, the rank-frequency law of words and BPE tokens in
/// natural text (exponent ≈ 1), by binary search in the cumulative distribution.
/// </summary>
internal sealed class ZipfSampler
{
    private readonly double[] _cumulative;

    public ZipfSampler(int n, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        _cumulative = new double[n];
        double total = 0;
        for (var k = 0; k < n; k++)
        {
            total += 1.0 / Math.Pow(k + 1, exponent);
            _cumulative[k] = total;
        }

        for (var k = 0; k < n; k++)
        {
            _cumulative[k] /= total;
        }
    }

    public int Next(Random random)
    {
        var u = random.NextDouble();
        int lo = 0, hi = _cumulative.Length - 1;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (_cumulative[mid] < u) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }
}
