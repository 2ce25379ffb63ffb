namespace OpenLoRA.Attribution.Datanets;

/// <summary>One Datanet entry as uploaded: a stable id, the contributor paid for it, and its text.</summary>
/// <param name="Id">Unique within its Datanet; traces name records by this id.</param>
/// <param name="Contributor">EIP-55 checksummed 0x address (the parser normalizes it).</param>
/// <param name="Text">The contribution; the caller tokenizes it with the adapter's base-model tokenizer.</param>
public sealed record DatanetRecord(string Id, string Contributor, string Text);
