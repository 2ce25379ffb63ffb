namespace OpenLoRA.Attribution.Datanets;

/// <summary>Limits applied while parsing a Datanet JSONL upload, so a hostile file cannot exhaust memory.</summary>
public sealed class DatanetParserOptions
{
    /// <summary>Longest accepted line, in UTF-16 chars (the reader stops buffering past it).</summary>
    public int MaxLineChars { get; init; } = 1 << 20;

    /// <summary>Most records accepted in one Datanet.</summary>
    public int MaxRecords { get; init; } = 1_000_000;

    /// <summary>Longest record id, in UTF-8 bytes; the index file stores the length as a u16.</summary>
    public int MaxIdBytes { get; init; } = 256;

    /// <summary>Total text accepted across all records, in UTF-16 chars.</summary>
    public long MaxTotalChars { get; init; } = 1L << 30;

    internal void Validate()
    {
        if (MaxLineChars < 1) throw new ArgumentOutOfRangeException(nameof(MaxLineChars), MaxLineChars, "Must be positive.");
        if (MaxRecords < 1) throw new ArgumentOutOfRangeException(nameof(MaxRecords), MaxRecords, "Must be positive.");
        if (MaxIdBytes is < 1 or > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(MaxIdBytes), MaxIdBytes, "Must be in 1..65535.");
        if (MaxTotalChars < 1) throw new ArgumentOutOfRangeException(nameof(MaxTotalChars), MaxTotalChars, "Must be positive.");
    }
}
