using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Attribution;

/// <summary>
/// The tracer of a host without attribution (the HTTP layer hosted over a fake engine in tests): no response gets a
/// trace id, so no client is ever given an id that cannot be looked up.
/// </summary>
internal sealed class DisabledResponseTracer : IResponseTracer
{
    public string? Begin(ModelTarget target) => null;

    public void Complete(TracedResponse response) =>
        throw new InvalidOperationException("Attribution is not enabled on this host; Begin never issues a trace id.");
}
