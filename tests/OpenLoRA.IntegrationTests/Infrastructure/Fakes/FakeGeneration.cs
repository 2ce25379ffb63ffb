using System.Runtime.CompilerServices;
using OpenLoRA.Engine.Scheduling;

namespace OpenLoRA.IntegrationTests.Infrastructure.Fakes;

/// <summary>Emits " tok0", " tok1", … and stops after <see cref="NaturalLength"/> tokens or at max_tokens.</summary>
internal sealed class FakeGeneration(int promptTokens, int maxTokens, FakeGenerationMode mode, CancellationToken cancellationToken) : IGeneration
{
    /// <summary>Tokens before the fake's "end of generation".</summary>
    public const int NaturalLength = 12;

    private static readonly TimeSpan EndlessTokenInterval = TimeSpan.FromMilliseconds(10);

    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<int> _tokens = [];
    private volatile bool _finished;

    /// <summary>
    /// Completes when the generation was cancelled while running: by the token given to Submit, or by disposal
    /// before the end (the engine contract: disposing a running generation cancels it).
    /// </summary>
    public Task Cancelled => _cancelled.Task;

    public IAsyncEnumerable<GenerationDelta> Deltas => ReadAsync();

    public GenerationUsage Usage => new(promptTokens, _tokens.Count);

    public IReadOnlyList<int> CompletionTokenIds => _tokens;

    public ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            _cancelled.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    private async IAsyncEnumerable<GenerationDelta> ReadAsync([EnumeratorCancellation] CancellationToken readCancellation = default)
    {
        for (var i = 0; ; i++)
        {
            await PaceAsync();
            if (cancellationToken.IsCancellationRequested)
            {
                _cancelled.TrySetResult();
                _finished = true;
                yield return new GenerationDelta("", _tokens.Count, FinishReason.Cancelled);
                yield break;
            }

            readCancellation.ThrowIfCancellationRequested();
            if (mode == FakeGenerationMode.FailMidStream && i == 2)
            {
                _finished = true;
                throw new InvalidOperationException($"Decode failed in {FakeInferenceService.SecretDetail}");
            }

            _tokens.Add(1000 + i);
            FinishReason? finish = mode == FakeGenerationMode.Endless ? null
                : _tokens.Count >= maxTokens ? FinishReason.Length
                : _tokens.Count >= NaturalLength ? FinishReason.Stop
                : null;
            yield return new GenerationDelta($" tok{i}", _tokens.Count, finish);
            if (finish is not null)
            {
                _finished = true;
                yield break;
            }
        }
    }

    private async Task PaceAsync()
    {
        if (mode != FakeGenerationMode.Endless)
        {
            await Task.Yield();
            return;
        }

        try
        {
            await Task.Delay(EndlessTokenInterval, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Observed right after, like the engine does at its next step.
        }
    }
}
