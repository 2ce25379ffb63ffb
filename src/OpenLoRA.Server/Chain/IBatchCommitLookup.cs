using OpenLoRA.Chain.Submission;

namespace OpenLoRA.Server.Chain;

/// <summary>Where a sealed batch stands on-chain; null everywhere when the chain is off.</summary>
internal interface IBatchCommitLookup
{
    Task<BatchCommitStatus?> GetAsync(long batchId, CancellationToken cancellationToken);
}
