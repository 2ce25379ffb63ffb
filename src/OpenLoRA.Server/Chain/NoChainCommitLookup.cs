using OpenLoRA.Chain.Submission;

namespace OpenLoRA.Server.Chain;

/// <summary>The chain is off (<c>OpenLoRA:Chain:Mode = off</c>): batches are never committed.</summary>
internal sealed class NoChainCommitLookup : IBatchCommitLookup
{
    public Task<BatchCommitStatus?> GetAsync(long batchId, CancellationToken cancellationToken) => Task.FromResult<BatchCommitStatus?>(null);
}
