namespace OpenLoRA.LoadTest;

/// <summary>Ranks 0..n-1 with probability ∝ 1 / (rank + 1)^s; s = 0 is uniform.</summary>
internal sealed class ZipfDistribution
{
    private readonly double[] _cumulative;

    public ZipfDistribution(int n, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        _cumulative = new double[n];
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            total += Math.Pow(i + 1, -exponent);
            _cumulative[i] = total;
        }

        for (var i = 0; i < n; i++)
        {
            _cumulative[i] /= total;
        }
    }

    /// <param name="uniform">A draw in [0, 1).</param>
    public int Sample(double uniform)
    {
        var index = Array.BinarySearch(_cumulative, uniform);
        return Math.Min(index < 0 ? ~index : index + 1, _cumulative.Length - 1);
    }
}
