namespace OpenLoRA.Engine.Scheduling.Fairness;

/// <summary>
/// Virtual Token Counter fairness (Sheng et al., "Fairness in Serving Large Language Models", OSDI 2024): every
/// tenant has a counter of the service it received, in weighted tokens (prompt tokens × 1, generated tokens × 2, the
/// paper's weights: a generated token costs a decode pass of its own). A free slot goes to the tenant with the lowest
/// counter, so a tenant sending ten times more cannot starve a light one. A tenant that becomes active again is
/// lifted to the lowest counter among active tenants, so idle time is not banked as credit. Scheduler thread only.
/// </summary>
internal sealed class VirtualTokenCounter
{
    public const double PromptTokenWeight = 1;
    public const double OutputTokenWeight = 2;
    private readonly Dictionary<string, double> _counters = new(StringComparer.Ordinal);

    public double this[string tenant] => _counters.GetValueOrDefault(tenant);

    /// <summary>Called when <paramref name="tenant"/> gets a request while it had none queued or running.</summary>
    public void Activate(string tenant, IEnumerable<string> activeTenants)
    {
        var floor = double.MaxValue;
        foreach (var active in activeTenants)
        {
            if (active != tenant)
            {
                floor = Math.Min(floor, this[active]);
            }
        }

        if (floor != double.MaxValue)
        {
            _counters[tenant] = Math.Max(this[tenant], floor);
        }
    }

    public void Charge(string tenant, int promptTokens, int outputTokens)
    {
        _counters[tenant] = this[tenant] + promptTokens * PromptTokenWeight + outputTokens * OutputTokenWeight;
    }

    /// <summary>Forgets tenants with nothing active, keeping the map bounded by active tenants plus recent ones.</summary>
    public void Trim(IReadOnlyDictionary<string, int> activeTenants, int keep = 4096)
    {
        if (_counters.Count <= keep)
        {
            return;
        }

        foreach (var tenant in _counters.Keys.Where(t => !activeTenants.ContainsKey(t)).ToList())
        {
            _counters.Remove(tenant);
        }
    }
}
