using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Attribution;

/// <summary>
/// Gives a response its trace id up front; once the generation has ended (every token already streamed), attributes
/// it, and records the signed trace with its charge. Both run before the response's final chunk, so the trace and
/// the charge are durable when the client learns the request is complete.
/// </summary>
internal interface IResponseTracer
{
    /// <summary>The trace id for a response to <paramref name="target"/>, or null when it is not traced.</summary>
    string? Begin(ModelTarget target);

    /// <summary>Span attribution of the generated tokens over the adapter's Datanet (milliseconds; see the benchmarks).</summary>
    Attributed Attribute(ModelTarget target, IReadOnlyList<int> completionTokenIds);

    /// <summary>Signs and stores the trace, and counts it towards the next Merkle batch.</summary>
    void Record(TracedResponse response, Attributed attribution, TraceCharge charge);
}
