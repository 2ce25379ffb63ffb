using Microsoft.Data.Sqlite;
using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Attribution;

/// <summary>
/// Traces every response served through an adapter (a base-model response has no adapter, publisher or Datanet to
/// attribute). Runs on the request's thread after the last token was streamed: span attribution over a
/// memory-mapped index is milliseconds, and the trace must be durable with its charge before the final chunk.
/// </summary>
internal sealed class ResponseTracer(SpanAttributor attributor, TraceBuilder builder, TraceStore store, DatanetStore datanets, BatchSealer sealer) : IResponseTracer
{
    public string? Begin(ModelTarget target) => target.Adapter is null ? null : TraceIds.New();

    public Attributed Attribute(ModelTarget target, IReadOnlyList<int> completionTokenIds)
    {
        var adapter = target.Adapter ?? throw new ArgumentException("Only adapter responses are traced.", nameof(target));
        var index = datanets.OpenIndex(adapter.Sha256);
        return new Attributed(attributor.Attribute(completionTokenIds.ToArray(), index), index?.Root);
    }

    public void Write(SqliteTransaction transaction, TracedResponse response, Attributed attribution, TraceCharge charge) =>
        Counted(() =>
        {
            var (signed, canonical) = builder.Build(response, attribution, charge);
            TraceStore.Insert(transaction, signed, canonical, response.CompletionTokenIds);
        });

    public void OnCommitted()
    {
        AttributionMetrics.TracesRecorded.Inc();
        sealer.OnTraceStored();
    }

    public void Record(TracedResponse response, Attributed attribution, TraceCharge charge)
    {
        Counted(() =>
        {
            var (signed, canonical) = builder.Build(response, attribution, charge);
            store.Insert(signed, canonical, response.CompletionTokenIds);
        });
        OnCommitted();
    }

    private static void Counted(Action write)
    {
        try
        {
            write();
        }
        catch
        {
            AttributionMetrics.TraceFailures.Inc();
            throw;
        }
    }
}
