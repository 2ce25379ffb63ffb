using System.Threading.Channels;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Attribution;

/// <summary>
/// Traces every response served through an adapter (a base-model response has no adapter, publisher or Datanet to
/// attribute). Completed responses go through an unbounded channel to <see cref="TraceRecorder"/>, off the
/// token-streaming path; the channel holds token ids only, a few KB per response.
/// </summary>
internal sealed class ResponseTracer : IResponseTracer
{
    private readonly Channel<TracedResponse> _queue = Channel.CreateUnbounded<TracedResponse>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<TracedResponse> Completed => _queue.Reader;

    public string? Begin(ModelTarget target) => target.Adapter is null ? null : TraceIds.New();

    public void Complete(TracedResponse response)
    {
        if (!_queue.Writer.TryWrite(response))
        {
            throw new InvalidOperationException("The trace recorder has stopped.");
        }
    }

    /// <summary>No more traces: the recorder drains what is queued and stops.</summary>
    public void Close() => _queue.Writer.TryComplete();
}
