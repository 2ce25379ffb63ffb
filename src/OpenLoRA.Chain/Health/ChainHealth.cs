using System.Collections.Concurrent;
using Prometheus;

namespace OpenLoRA.Chain.Health;

/// <summary>
/// Where the chain contradicts this server's durable state (the proof outbox, the ledger's settled epochs, its
/// credited deposits). Each component reports a contradiction when it sees one and clears its condition once the
/// chain and the local state agree again; <c>/health</c> shows every open condition as a degraded detail and
/// <c>openlora_chain_contradictions_total</c> counts each one seen, so a reset or rollback is never silent.
/// </summary>
public sealed class ChainHealth
{
    private static readonly Counter Contradictions = Metrics.CreateCounter(
        "openlora_chain_contradictions_total",
        "Times the chain contradicted local state: component=submitter|settlement|deposits, kind=lost|conflict|no_contract|behind|missing_deposits.",
        new CounterConfiguration { LabelNames = ["component", "kind"] });

    private static readonly Gauge Degraded = Metrics.CreateGauge(
        "openlora_chain_degraded",
        "1 while a component's state is contradicted by the chain (see /health for the detail), else 0.",
        new GaugeConfiguration { LabelNames = ["component"] });

    private readonly ConcurrentDictionary<string, ChainHealthCondition> _conditions = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public ChainHealth(TimeProvider time)
    {
        _time = time;
        foreach (var component in new[] { ChainComponents.Submitter, ChainComponents.Settlement, ChainComponents.Deposits })
        {
            Degraded.WithLabels(component).Set(0);
        }
    }

    /// <summary>The open conditions, oldest first.</summary>
    public IReadOnlyList<ChainHealthCondition> Conditions => [.. _conditions.Values.OrderBy(c => c.Since)];

    public bool IsDegraded(string component) => _conditions.ContainsKey(component);

    /// <summary>
    /// Keeps <paramref name="message"/> as the component's condition until <see cref="Clear"/>, and counts it when it is
    /// new (the component was healthy or in another kind of trouble). True when new: the caller logs it then (with its
    /// own event id), so a condition that lasts is one error, not one per pass.
    /// </summary>
    public bool Report(string component, string kind, string message)
    {
        var now = _time.GetUtcNow();
        var isNew = true;
        _conditions.AddOrUpdate(
            component,
            _ => new ChainHealthCondition(component, kind, message, now),
            (_, old) =>
            {
                isNew = old.Kind != kind;
                return new ChainHealthCondition(component, kind, message, isNew ? now : old.Since);
            });
        if (isNew)
        {
            Contradictions.WithLabels(component, kind).Inc();
        }

        Degraded.WithLabels(component).Set(1);
        return isNew;
    }

    /// <summary>The component agrees with the chain again.</summary>
    public void Clear(string component)
    {
        if (_conditions.TryRemove(component, out _))
        {
            Degraded.WithLabels(component).Set(0);
        }
    }
}
