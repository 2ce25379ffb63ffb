namespace OpenLoRA.Chain.Submission;

internal enum OutboxState
{
    /// <summary>Enqueued; no transaction signed yet (or the last one's nonce was used by something else).</summary>
    Pending,

    /// <summary>At least one signed transaction is persisted (and normally broadcast); awaiting its receipt.</summary>
    Sent,

    /// <summary>The chain holds this batch id with enough confirmations.</summary>
    Committed,

    /// <summary>The chain holds this batch id with a different root: someone else committed it. Needs a human.</summary>
    Conflict,
}
