using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Sampling;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Engine.Tokens;

namespace OpenLoRA.IntegrationTests.Infrastructure.Fakes;

/// <summary>
/// A deterministic engine for testing the HTTP layer alone: one token per word, a fixed short output, and failure
/// modes chosen by markers in the prompt.
/// </summary>
internal sealed class FakeInferenceService : IInferenceService
{
    /// <summary>Submit throws <see cref="QueueFullException"/> with a 2 s retry-after.</summary>
    public const string QueueFullMarker = "[queue-full]";

    /// <summary>Submit throws an unexpected exception whose message holds <see cref="SecretDetail"/>.</summary>
    public const string ThrowMarker = "[engine-throws]";

    /// <summary>The generation faults after two tokens.</summary>
    public const string FailMidStreamMarker = "[fail-midstream]";

    /// <summary>The generation runs until it is cancelled.</summary>
    public const string EndlessMarker = "[endless]";

    /// <summary>Text that must never reach a client.</summary>
    public const string SecretDetail = "secret-internal-detail-/opt/openlora";

    public static readonly TimeSpan QueueFullRetryAfter = TimeSpan.FromSeconds(2);

    private FakeGeneration? _lastEndless;

    /// <summary>The most recent endless generation, to check that a disconnect cancelled it.</summary>
    public FakeGeneration LastEndless => _lastEndless ?? throw new InvalidOperationException("No endless generation was submitted.");

    public PreparedPrompt PrepareChat(ModelTarget target, IReadOnlyList<ChatMessage> messages)
    {
        var text = string.Concat(messages.Select(m => $"<{m.Role}> {m.Content}\n"));
        return new PreparedPrompt(text, Tokenize(text));
    }

    public PreparedPrompt PrepareCompletion(ModelTarget target, string prompt) => new(prompt, Tokenize(prompt));

    public int[] TokenizeDatanetText(BaseModelInfo baseModel, string text) => Tokenize(text);

    public IGeneration Submit(ModelTarget target, PreparedPrompt prompt, SamplingParameters sampling, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampling.MaxTokens, 1);
        if (prompt.Tokens.Count + 1 > FakeModelCatalog.ContextSize)
        {
            throw new ContextLengthExceededException(prompt.Tokens.Count, FakeModelCatalog.ContextSize);
        }

        if (prompt.Text.Contains(QueueFullMarker, StringComparison.Ordinal))
        {
            throw new QueueFullException(target.BaseModel.Name, QueueFullRetryAfter);
        }

        if (prompt.Text.Contains(ThrowMarker, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Native failure in {SecretDetail}");
        }

        var mode = prompt.Text.Contains(FailMidStreamMarker, StringComparison.Ordinal) ? FakeGenerationMode.FailMidStream
            : prompt.Text.Contains(EndlessMarker, StringComparison.Ordinal) ? FakeGenerationMode.Endless
            : FakeGenerationMode.Normal;
        var generation = new FakeGeneration(prompt.Tokens.Count, sampling.MaxTokens, mode, cancellationToken);
        if (mode == FakeGenerationMode.Endless)
        {
            _lastEndless = generation;
        }

        return generation;
    }

    /// <summary>BOS plus one token per word.</summary>
    private static int[] Tokenize(string text) =>
        [1, .. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select((_, i) => 100 + i)];
}
