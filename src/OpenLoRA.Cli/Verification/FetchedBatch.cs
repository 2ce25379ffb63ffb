namespace OpenLoRA.Cli.Verification;

/// <summary>The Merkle batch a trace was sealed into, as the server reports it (hex strings kept as sent).</summary>
internal sealed record FetchedBatch(long Id, string Root, string Leaf, IReadOnlyList<string> Proof);
