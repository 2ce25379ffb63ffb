using Microsoft.Data.Sqlite;
using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Attribution;

/// <summary>
/// Gives a response its trace id up front; once the generation has ended (every token already streamed), attributes
/// it, and writes the signed trace with its charge: inside the charge's own transaction when billing is on
/// (<see cref="Write"/>, then <see cref="OnCommitted"/>), alone otherwise (<see cref="Record"/>). Both run before the
/// response's final chunk, so the trace and the charge are durable, together, when the client learns the request is
/// complete.
/// </summary>
internal interface IResponseTracer
{
    /// <summary>The trace id for a response to <paramref name="target"/>, or null when it is not traced.</summary>
    string? Begin(ModelTarget target);

    /// <summary>Span attribution of the generated tokens over the adapter's Datanet (milliseconds; see the benchmarks).</summary>
    Attributed Attribute(ModelTarget target, IReadOnlyList<int> completionTokenIds);

    /// <summary>Signs the trace and inserts it through <paramref name="transaction"/>, which the caller commits.</summary>
    void Write(SqliteTransaction transaction, TracedResponse response, Attributed attribution, TraceCharge charge);

    /// <summary>The transaction a <see cref="Write"/> went into has committed: count the trace towards the next batch.</summary>
    void OnCommitted();

    /// <summary>Signs and stores the trace in a transaction of its own (billing off), and counts it towards the next batch.</summary>
    void Record(TracedResponse response, Attributed attribution, TraceCharge charge);
}
