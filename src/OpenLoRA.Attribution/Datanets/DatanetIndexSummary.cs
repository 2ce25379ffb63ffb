namespace OpenLoRA.Attribution.Datanets;

/// <summary>What the writer produced: the root (0x + 64 lowercase hex) and the counts.</summary>
public sealed record DatanetIndexSummary(string Root, int RecordCount, long TokenCount, string Path);
