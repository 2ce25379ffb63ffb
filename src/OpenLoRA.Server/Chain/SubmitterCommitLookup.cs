using OpenLoRA.Chain.Submission;

namespace OpenLoRA.Server.Chain;

/// <summary>Reads a batch's commitment from the proof submitter's outbox.</summary>
internal sealed class SubmitterCommitLookup(ProofSubmitter submitter) : IBatchCommitLookup
{
    public Task<BatchCommitStatus?> GetAsync(long batchId, CancellationToken cancellationToken) =>
        submitter.GetCommitStatusAsync((ulong)batchId, cancellationToken);
}
