namespace OpenLoRA.Attribution.Datanets;

/// <summary>A contiguous run of suffix-array ranks whose suffixes all start with the queried span.</summary>
/// <param name="Start">First rank.</param>
/// <param name="Count">Number of occurrences of the span in the corpus.</param>
public readonly record struct SuffixRange(int Start, int Count)
{
    public bool IsEmpty => Count == 0;
}
