using System.Diagnostics;
using System.Security.Cryptography;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Sampling;
using OpenLoRA.Engine.Tokens;

namespace OpenLoRA.Engine.Scheduling;

/// <summary>Routes requests to the scheduler of their base model.</summary>
internal sealed class InferenceService : IInferenceService, IDisposable
{
    private static readonly TimeSpan QueueFullRetryAfter = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, ModelRuntime> _runtimes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Register(ModelRuntime runtime)
    {
        lock (_gate)
        {
            _runtimes.Add(runtime.Name, runtime);
        }
    }

    public PreparedPrompt PrepareChat(ModelTarget target, IReadOnlyList<ChatMessage> messages)
    {
        var runtime = Runtime(target);
        var text = runtime.Template.Render(messages);

        // The template's own markers may be special tokens of a real model's vocabulary, so they are parsed.
        return new PreparedPrompt(text, runtime.Tokenizer.Tokenize(text, addBos: true, parseSpecial: true));
    }

    public PreparedPrompt PrepareCompletion(ModelTarget target, string prompt)
    {
        var runtime = Runtime(target);
        return new PreparedPrompt(prompt, runtime.Tokenizer.Tokenize(prompt, addBos: true, parseSpecial: false));
    }

    public int[] TokenizeDatanetText(BaseModelInfo baseModel, string text) =>
        Runtime(new ModelTarget(baseModel, null)).Tokenizer.Tokenize(text, addBos: false, parseSpecial: false);

    public IGeneration Submit(ModelTarget target, PreparedPrompt prompt, SamplingParameters sampling, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampling.MaxTokens, 1);
        var runtime = Runtime(target);
        if (prompt.Tokens.Count == 0)
        {
            throw new ArgumentException("The prompt is empty.", nameof(prompt));
        }

        // The prompt and at least one generated token must fit the sequence's context.
        var contextSize = runtime.Scheduler.SequenceContextSize;
        if (prompt.Tokens.Count + 1 > contextSize)
        {
            throw new ContextLengthExceededException(prompt.Tokens.Count, contextSize);
        }

        var seed = sampling.Seed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var sequence = new Sequence(target, prompt.Tokens, sampling, seed, Stopwatch.GetTimestamp());
        if (!runtime.Scheduler.TryEnqueue(sequence))
        {
            throw new QueueFullException(runtime.Name, QueueFullRetryAfter);
        }

        return new Generation(sequence, cancellationToken);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var runtime in _runtimes.Values)
            {
                runtime.Dispose();
            }

            _runtimes.Clear();
        }
    }

    private ModelRuntime Runtime(ModelTarget target)
    {
        lock (_gate)
        {
            return _runtimes.TryGetValue(target.BaseModel.Name, out var runtime)
                ? runtime
                : throw new InvalidOperationException($"Base model '{target.BaseModel.Name}' is not loaded.");
        }
    }
}
