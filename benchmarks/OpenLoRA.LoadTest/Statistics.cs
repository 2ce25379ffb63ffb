namespace OpenLoRA.LoadTest;

/// <summary>Percentiles and Jain's fairness index, as the report uses them.</summary>
internal static class Statistics
{
    /// <summary>Linear-interpolated percentile (p in 0..100) of the values; NaN when there are none.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = p / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    /// <summary>Jain's index (Σx)² / (n·Σx²): 1 when all shares are equal, 1/n when one takes everything.</summary>
    public static double JainIndex(IReadOnlyList<double> shares)
    {
        if (shares.Count == 0)
        {
            return double.NaN;
        }

        var sum = shares.Sum();
        var squares = shares.Sum(x => x * x);
        return squares == 0 ? 1 : sum * sum / (shares.Count * squares);
    }
}
