namespace OpenLoRA.Attribution.Datanets;

/// <summary>A Datanet record after the caller tokenized its text; the index is built from these.</summary>
/// <param name="Id">The record id (unique, non-empty).</param>
/// <param name="Contributor">0x address; normalized to EIP-55 when the index is built.</param>
/// <param name="Tokens">Token ids, all non-negative (-1 is the record separator inside the index), at least one.</param>
public sealed record TokenizedRecord(string Id, string Contributor, int[] Tokens);
