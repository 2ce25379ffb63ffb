using Microsoft.Data.Sqlite;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Attribution;

/// <summary>
/// The tracer of a host without attribution (the HTTP layer hosted over a fake engine in tests): no response gets a
/// trace id, so no client is ever given an id that cannot be looked up, and nothing else is ever asked of it.
/// </summary>
internal sealed class DisabledResponseTracer : IResponseTracer
{
    public string? Begin(ModelTarget target) => null;

    public Attributed Attribute(ModelTarget target, IReadOnlyList<int> completionTokenIds) =>
        throw new InvalidOperationException("Attribution is not enabled on this host; Begin never issues a trace id.");

    public void Write(SqliteTransaction transaction, TracedResponse response, Attributed attribution, TraceCharge charge) =>
        throw new InvalidOperationException("Attribution is not enabled on this host; Begin never issues a trace id.");

    public void OnCommitted() =>
        throw new InvalidOperationException("Attribution is not enabled on this host; Begin never issues a trace id.");

    public void Record(TracedResponse response, Attributed attribution, TraceCharge charge) =>
        throw new InvalidOperationException("Attribution is not enabled on this host; Begin never issues a trace id.");
}
