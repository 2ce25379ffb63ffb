using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Engine.Scheduling;

/// <summary>
/// Chooses what enters one step under a token budget: every decoding sequence's next token first (decode latency
/// is what users feel), then prefill chunks in admission order with what is left, so a long prompt is spread over
/// several steps instead of stalling everyone's next token.
/// With <c>maxAdapterGroups</c> &gt; 0 only that many adapter groups run per step; the groups whose sequences waited
/// longest go first (ties: the fuller group), so every group runs within a bounded number of steps.
/// </summary>
internal sealed class StepPlanner(int stepTokenBudget, int maxAdapterGroups = 0)
{
    private static readonly object BaseGroup = new();
    private readonly List<Sequence> _planned = [];
    private readonly List<StepItem> _items = [];
    private readonly List<bool> _isDecode = [];
    private readonly Dictionary<object, (long Oldest, int Count)> _groups = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _allowed = new(ReferenceEqualityComparer.Instance);
    private long _step;

    public IReadOnlyList<Sequence> PlannedSequences => _planned;

    public IReadOnlyList<StepItem> Items => _items;

    /// <summary>Per item: a decode token (true) or a prefill chunk (false).</summary>
    public IReadOnlyList<bool> IsDecode => _isDecode;

    public void Plan(IReadOnlyList<Sequence> running)
    {
        _planned.Clear();
        _items.Clear();
        _isDecode.Clear();
        _step++;
        ChooseGroups(running);
        var budget = stepTokenBudget;
        foreach (var sequence in running)
        {
            if (budget == 0)
            {
                break;
            }

            if (!sequence.IsPrefilling && sequence.PendingToken >= 0 && IsAllowed(sequence))
            {
                sequence.PendingTokenBuffer[0] = sequence.PendingToken;
                sequence.PendingToken = -1;
                Add(sequence, sequence.PendingTokenBuffer, true, decode: true);
                budget--;
            }
        }

        foreach (var sequence in running)
        {
            if (budget == 0)
            {
                break;
            }

            if (!sequence.IsPrefilling || !IsAllowed(sequence))
            {
                continue;
            }

            var remaining = sequence.PromptTokens.Length - sequence.Position;
            var chunk = Math.Min(remaining, budget);
            var completesPrompt = chunk == remaining;
            Add(sequence, sequence.PromptTokens.AsMemory(sequence.Position, chunk), completesPrompt, decode: false);
            budget -= chunk;
        }
    }

    private static object GroupOf(Sequence sequence) => (object?)sequence.Adapter ?? BaseGroup;

    private bool IsAllowed(Sequence sequence) => maxAdapterGroups <= 0 || _allowed.Contains(GroupOf(sequence));

    private void ChooseGroups(IReadOnlyList<Sequence> running)
    {
        if (maxAdapterGroups <= 0)
        {
            return;
        }

        _groups.Clear();
        _allowed.Clear();
        foreach (var sequence in running)
        {
            var key = GroupOf(sequence);
            var (oldest, count) = _groups.GetValueOrDefault(key, (long.MaxValue, 0));
            _groups[key] = (Math.Min(oldest, sequence.LastPlannedStep), count + 1);
        }

        foreach (var group in _groups.OrderBy(g => g.Value.Oldest).ThenByDescending(g => g.Value.Count).Take(maxAdapterGroups))
        {
            _allowed.Add(group.Key);
        }
    }

    /// <summary>
    /// Positions advance as tokens are planned, so the sampling callbacks of this step already see how many
    /// tokens the sequence holds in the KV cache; a failed step fails its sequences, so nothing is rolled back.
    /// </summary>
    private void Add(Sequence sequence, ReadOnlyMemory<int> tokens, bool wantLogits, bool decode)
    {
        _planned.Add(sequence);
        _isDecode.Add(decode);
        _items.Add(new StepItem(sequence.Slot, sequence.Adapter, tokens, sequence.Position, wantLogits));
        sequence.Position += tokens.Length;
        sequence.LastPlannedStep = _step;
    }
}
