using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenLoRA.Engine.Adapters;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Scheduling.Fairness;
using Prometheus;

namespace OpenLoRA.Engine.Scheduling;

/// <summary>
/// The only owner of one base model's engine state (backend, KV slots, resident adapters). Requests arrive through
/// a channel (bounded by a queued-request count); a dedicated thread moves them to a pending list (pinning and
/// prefetching their adapters), admits them into free slots once their adapter is resident, and runs steps.
/// </summary>
internal sealed partial class ModelScheduler : IDisposable
{
    private readonly string _model;
    private readonly IStepBackend _backend;
    private readonly ITokenizer _tokenizer;
    private readonly ResidentAdapters _adapters;
    private readonly StepPlanner _planner;
    private readonly ILogger _logger;
    private readonly int _queueCapacity;
    private readonly Channel<Sequence> _queue = Channel.CreateUnbounded<Sequence>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Sequence> _pending = [];
    private readonly List<Sequence> _running = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly VirtualTokenCounter _fairness = new();
    private readonly Dictionary<string, int> _activeTenants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _groupSizes = new(StringComparer.Ordinal);
    private readonly AdmissionPolicy _admission;
    private readonly int _maxAdmissionBypass;
    private readonly Thread _thread;
    private readonly StepLogitsHandler _onLogits;
    private readonly Action _signal;
    private readonly Gauge.Child _queueDepth;
    private readonly Gauge.Child _runningGauge;
    private readonly Histogram.Child _stepDuration;
    private readonly Histogram.Child _stepGroups;
    private readonly Histogram.Child _stepTokens;
    private int _queued;

    public ModelScheduler(string model, IStepBackend backend, ITokenizer tokenizer, ModelSchedulerOptions options, ILogger logger)
    {
        _model = model;
        _backend = backend;
        _tokenizer = tokenizer;
        _logger = logger;
        _queueCapacity = options.QueueCapacity;
        _admission = options.Admission;
        _maxAdmissionBypass = options.MaxAdmissionBypass;
        _signal = _wake.Set;
        _adapters = new ResidentAdapters(backend, model, new ResidentAdapterLimits(options.MaxResidentAdapters, options.MaxResidentAdapterBytes), _signal, logger);
        _planner = new StepPlanner(Math.Min(options.StepTokenBudget, backend.MaxStepTokens), options.MaxAdapterGroupsPerStep);
        for (var slot = backend.MaxSequences - 1; slot >= 0; slot--)
        {
            _freeSlots.Push(slot);
        }

        _onLogits = OnLogits;
        _queueDepth = EngineMetrics.QueueDepth.WithLabels(model);
        _runningGauge = EngineMetrics.RunningSequences.WithLabels(model);
        _stepDuration = EngineMetrics.StepDuration.WithLabels(model);
        _stepGroups = EngineMetrics.StepAdapterGroups.WithLabels(model);
        _stepTokens = EngineMetrics.StepTokens.WithLabels(model);
        _thread = new Thread(Run) { Name = $"scheduler:{model}", IsBackground = true };
        _thread.Start();
    }

    public int SequenceContextSize => _backend.SequenceContextSize;

    /// <summary>Queues a sequence; false when <c>QueueCapacity</c> requests already wait for a slot.</summary>
    public bool TryEnqueue(Sequence sequence)
    {
        if (Interlocked.Increment(ref _queued) > _queueCapacity)
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }

        sequence.OnCancelled = _signal;
        if (!_queue.Writer.TryWrite(sequence))
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }

        _queueDepth.Set(Volatile.Read(ref _queued));
        _wake.Set();
        return true;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        _wake.Set();
        _thread.Join();
        _adapters.Dispose();
        _backend.Dispose();

        // _wake and _stopping are not disposed: a request cancelled during shutdown still signals _wake from its
        // cancellation callback, and a disposed event would throw on that request's thread.
    }

    private void Run()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                // Reset before looking at the sources, so a signal that arrives meanwhile is not lost.
                _wake.Reset();
                DrainQueue();
                PumpAdapters();
                DropCancelled();
                Admit();
                _adapters.Status.ObserveRunning(_running);
                if (_running.Count > 0)
                {
                    Step();
                }
                else
                {
                    _wake.Wait(_stopping.Token);
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The loop must survive anything: a dead scheduler would hang every request of this model.
                _logger.LogError(ex, "Scheduler step failed for {Model}", _model);
                EngineMetrics.StepFailures.WithLabels(_model).Inc();
                FailAll(_running, ex);
            }
        }

        var shutdown = new ObjectDisposedException(nameof(ModelScheduler), "The server is shutting down.");
        FailAll(_running, shutdown);
        FailAll(_pending, shutdown);
        while (_queue.Reader.TryRead(out var queued))
        {
            queued.Fail(shutdown);
        }
    }

    private void Step()
    {
        _planner.Plan(_running);
        if (_planner.Items.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        StepStats stats;
        try
        {
            stats = _backend.Execute(_planner.Items, _onLogits);
        }
        catch (BackendException ex)
        {
            _logger.LogError("Decode failed for {Model}: {Message}", _model, ex.Message);
            EngineMetrics.StepFailures.WithLabels(_model).Inc();
            FailAll(_planner.PlannedSequences.ToList(), ex);
            return;
        }

        _stepDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        _stepGroups.Observe(stats.Groups);
        _stepTokens.Observe(stats.Tokens);
        ChargeTenants();
        RemoveFinished();
    }
}
