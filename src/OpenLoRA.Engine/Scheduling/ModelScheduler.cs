using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenLoRA.Engine.Adapters;
using OpenLoRA.Engine.Backend;
using Prometheus;

namespace OpenLoRA.Engine.Scheduling;

/// <summary>
/// The only owner of one base model's engine state (backend, KV slots, resident adapters). Requests arrive through
/// a bounded channel; a dedicated thread admits them into free slots and runs steps until nothing is left.
/// </summary>
internal sealed partial class ModelScheduler : IDisposable
{
    private readonly string _model;
    private readonly IStepBackend _backend;
    private readonly ITokenizer _tokenizer;
    private readonly ResidentAdapters _adapters;
    private readonly StepPlanner _planner;
    private readonly ILogger _logger;
    private readonly Channel<Sequence> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Sequence> _running = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly Thread _thread;
    private readonly StepLogitsHandler _onLogits;
    private readonly Gauge.Child _queueDepth;
    private readonly Gauge.Child _runningGauge;
    private readonly Histogram.Child _stepDuration;
    private readonly Histogram.Child _stepGroups;
    private readonly Histogram.Child _stepTokens;
    private readonly Gauge.Child _residentGauge;

    public ModelScheduler(string model, IStepBackend backend, ITokenizer tokenizer, ModelSchedulerOptions options, ILogger logger)
    {
        _model = model;
        _backend = backend;
        _tokenizer = tokenizer;
        _logger = logger;
        _adapters = new ResidentAdapters(backend, options.MaxResidentAdapters, logger);
        _planner = new StepPlanner(Math.Min(options.StepTokenBudget, backend.MaxStepTokens));
        _queue = Channel.CreateBounded<Sequence>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
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
        _residentGauge = EngineMetrics.ResidentAdapters.WithLabels(model);
        _thread = new Thread(Run) { Name = $"scheduler:{model}", IsBackground = true };
        _thread.Start();
    }

    public int SequenceContextSize => _backend.SequenceContextSize;

    /// <summary>Queues a sequence; false when the queue is full.</summary>
    public bool TryEnqueue(Sequence sequence)
    {
        if (!_queue.Writer.TryWrite(sequence))
        {
            return false;
        }

        _queueDepth.Set(_queue.Reader.Count);
        return true;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        _thread.Join();
        _backend.Dispose();
        _stopping.Dispose();
    }

    private void Run()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (_running.Count == 0 && !WaitForWork())
                {
                    break;
                }

                Admit();
                DropCancelled();
                if (_running.Count > 0)
                {
                    Step();
                }
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
        while (_queue.Reader.TryRead(out var queued))
        {
            queued.Fail(shutdown);
        }
    }

    private bool WaitForWork()
    {
        try
        {
            return _queue.Reader.WaitToReadAsync(_stopping.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return false;
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
        RemoveFinished();
    }
}
