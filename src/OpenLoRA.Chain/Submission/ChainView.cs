namespace OpenLoRA.Chain.Submission;

/// <summary>The registry's nextBatchId and when the submitter read it.</summary>
internal sealed record ChainView(ulong NextBatchId, DateTimeOffset ReadAt);
