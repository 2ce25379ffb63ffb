using System.Threading.Channels;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Sampling;

namespace OpenLoRA.Engine.Scheduling;

/// <summary>
/// One request's generation. Fields under "scheduler state" are touched only by the owning scheduler loop;
/// the API side reads the output channel and the volatile counters.
/// </summary>
internal sealed class Sequence
{
    private readonly Channel<GenerationDelta> _output = Channel.CreateUnbounded<GenerationDelta>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private volatile int _completionTokens;
    private volatile bool _cancelled;

    public Sequence(ModelTarget target, IReadOnlyList<int> promptTokens, SamplingParameters sampling, ulong seed, long enqueuedTimestamp)
    {
        Target = target;
        PromptTokens = promptTokens.ToArray();
        Sampling = sampling;
        Seed = seed;
        EnqueuedTimestamp = enqueuedTimestamp;
    }

    public ModelTarget Target { get; }

    public int[] PromptTokens { get; }

    public SamplingParameters Sampling { get; }

    public ulong Seed { get; }

    public long EnqueuedTimestamp { get; }

    public ChannelReader<GenerationDelta> Output => _output.Reader;

    public int CompletionTokens => _completionTokens;

    public bool IsCancelled => _cancelled;

    /// <summary>Token ids generated so far; appended by the scheduler, copied by readers under lock.</summary>
    public List<int> Generated { get; } = [];

    // ---- scheduler state ----

    /// <summary>KV sequence slot, or -1 while queued.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>Tokens of this sequence already in the KV cache.</summary>
    public int Position { get; set; }

    public IBackendAdapter? Adapter { get; set; }

    public SequenceDecoder? Decoder { get; set; }

    /// <summary>The token sampled last, to be decoded next step.</summary>
    public int PendingToken { get; set; } = -1;

    /// <summary>Reused one-token buffer for the decode step, so a step allocates nothing per sequence.</summary>
    public int[] PendingTokenBuffer { get; } = new int[1];

    public bool IsPrefilling => Position < PromptTokens.Length;

    /// <summary>The planner step that last included this sequence (0: never), for adapter-group rotation.</summary>
    public long LastPlannedStep { get; set; }

    public bool IsFinished { get; private set; }

    /// <summary>Wakes the owning scheduler so a cancelled request that waits for a slot or an adapter is dropped at once.</summary>
    public Action? OnCancelled { get; set; }

    /// <summary>Times a later request of the same tenant was admitted before this one (adapter affinity's aging).</summary>
    public int AdmissionBypasses { get; set; }

    /// <summary>The running adapter group this sequence counts in (adapter sha256, "" for the base model), or null.</summary>
    public string? Group { get; set; }

    /// <summary>Set once the sequence's adapter pin has been dropped (scheduler state).</summary>
    public bool AdapterReleased { get; set; }

    public void Cancel()
    {
        _cancelled = true;
        OnCancelled?.Invoke();
    }

    public void AddGenerated(int token)
    {
        lock (Generated)
        {
            Generated.Add(token);
        }
    }

    public void CountCompletionToken() => _completionTokens++;

    public void Emit(GenerationDelta delta) => _output.Writer.TryWrite(delta);

    public void Finish(string text, FinishReason reason)
    {
        if (IsFinished)
        {
            return;
        }

        IsFinished = true;
        _output.Writer.TryWrite(new GenerationDelta(text, _completionTokens, reason));
        _output.Writer.TryComplete();
    }

    public void Fail(Exception error)
    {
        if (IsFinished)
        {
            return;
        }

        IsFinished = true;
        _output.Writer.TryComplete(error);
    }
}
