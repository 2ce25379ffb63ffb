using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Engine.Scheduling;

/// <summary>
/// Chooses what enters one step under a token budget: every decoding sequence's next token first (decode latency
/// is what users feel), then prefill chunks in admission order with what is left, so a long prompt is spread over
/// several steps instead of stalling everyone's next token.
/// </summary>
internal sealed class StepPlanner(int stepTokenBudget)
{
    private readonly List<Sequence> _planned = [];
    private readonly List<StepItem> _items = [];

    public IReadOnlyList<Sequence> PlannedSequences => _planned;

    public IReadOnlyList<StepItem> Items => _items;

    public void Plan(IReadOnlyList<Sequence> running)
    {
        _planned.Clear();
        _items.Clear();
        var budget = stepTokenBudget;
        foreach (var sequence in running)
        {
            if (budget == 0)
            {
                break;
            }

            if (!sequence.IsPrefilling && sequence.PendingToken >= 0)
            {
                sequence.PendingTokenBuffer[0] = sequence.PendingToken;
                sequence.PendingToken = -1;
                Add(sequence, sequence.PendingTokenBuffer, true);
                budget--;
            }
        }

        foreach (var sequence in running)
        {
            if (budget == 0)
            {
                break;
            }

            if (!sequence.IsPrefilling)
            {
                continue;
            }

            var remaining = sequence.PromptTokens.Length - sequence.Position;
            var chunk = Math.Min(remaining, budget);
            var completesPrompt = chunk == remaining;
            Add(sequence, sequence.PromptTokens.AsMemory(sequence.Position, chunk), completesPrompt);
            budget -= chunk;
        }
    }

    /// <summary>
    /// Positions advance as tokens are planned, so the sampling callbacks of this step already see how many
    /// tokens the sequence holds in the KV cache; a failed step fails its sequences, so nothing is rolled back.
    /// </summary>
    private void Add(Sequence sequence, ReadOnlyMemory<int> tokens, bool wantLogits)
    {
        _planned.Add(sequence);
        _items.Add(new StepItem(sequence.Slot, sequence.Adapter, tokens, sequence.Position, wantLogits));
        sequence.Position += tokens.Length;
    }
}
