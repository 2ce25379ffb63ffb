using OpenLoRA.Attribution.Datanets;

namespace OpenLoRA.Attribution.Scoring;

/// <summary>
/// Turns integer weights into parts per million that sum to exactly 1,000,000 by largest remainder: each gets
/// floor(w × 10^6 / total), and the ppm left over go one each to the largest remainders, ties to the lower
/// address (numeric order). Zero-ppm entries are dropped; the list is sorted by ppm descending, then address.
/// </summary>
public static class PpmAllocator
{
    public const int Million = 1_000_000;

    public static IReadOnlyList<ContributorShare> Allocate(IEnumerable<KeyValuePair<string, UInt128>> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var merged = new Dictionary<string, UInt128>(StringComparer.Ordinal);
        foreach ((string address, UInt128 weight) in weights)
        {
            string normalized = EthereumAddress.Normalize(address, nameof(weights));
            merged[normalized] = merged.GetValueOrDefault(normalized) + weight;
        }
        var entries = merged.Where(e => e.Value > 0).Select(e => (Address: e.Key, Weight: e.Value)).ToList();
        if (entries.Count == 0) return [];

        UInt128 total = 0;
        foreach (var entry in entries) total = checked(total + entry.Weight);
        // w <= total, so w × 10^6 cannot overflow below this bound; span and static weights stay far under it.
        if (total > UInt128.MaxValue / Million) throw new OverflowException("Total weight exceeds 2^108.");

        var allocated = new (string Address, int Ppm, UInt128 Remainder)[entries.Count];
        long assigned = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            UInt128 product = entries[i].Weight * Million;
            int ppm = (int)(product / total);
            allocated[i] = (entries[i].Address, ppm, product % total);
            assigned += ppm;
        }
        int leftover = (int)(Million - assigned);
        var byRemainder = Enumerable.Range(0, allocated.Length)
            .OrderByDescending(i => allocated[i].Remainder)
            .ThenBy(i => allocated[i].Address, StringComparer.OrdinalIgnoreCase)
            .Take(leftover);
        foreach (int i in byRemainder) allocated[i].Ppm++;

        return allocated
            .Where(a => a.Ppm > 0)
            .OrderByDescending(a => a.Ppm)
            .ThenBy(a => a.Address, StringComparer.OrdinalIgnoreCase)
            .Select(a => new ContributorShare(a.Address, a.Ppm))
            .ToList();
    }

    public static IReadOnlyList<ContributorShare> Allocate(IEnumerable<StaticShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        return Allocate(shares.Select(s => new KeyValuePair<string, UInt128>(s.Address, s.Weight)));
    }
}
