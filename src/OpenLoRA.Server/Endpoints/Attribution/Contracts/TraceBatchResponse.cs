namespace OpenLoRA.Server.Endpoints.Attribution.Contracts;

/// <summary>Where a trace sits in its Merkle batch: the leaf and the proof up to the batch root.</summary>
internal sealed record TraceBatchResponse(long Id, string Root, string Leaf, IReadOnlyList<string> Proof);
