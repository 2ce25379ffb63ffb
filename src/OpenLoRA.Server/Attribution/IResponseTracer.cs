using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Attribution;

/// <summary>Gives a response its trace id up front and records the trace once the response is complete.</summary>
internal interface IResponseTracer
{
    /// <summary>The trace id for a response to <paramref name="target"/>, or null when it is not traced.</summary>
    string? Begin(ModelTarget target);

    /// <summary>Queues the finished response for attribution; returns at once (never delays the client).</summary>
    void Complete(TracedResponse response);
}
