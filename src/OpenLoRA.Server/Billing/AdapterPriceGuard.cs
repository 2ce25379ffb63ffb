using System.Collections.Concurrent;
using OpenLoRA.Billing.Pricing;
using OpenLoRA.Engine.Models;
using OpenLoRA.Server.Errors;
using OpenLoRA.Server.Metrics;

namespace OpenLoRA.Server.Billing;

/// <summary>
/// Keeps an adapter whose publisher price billing cannot charge (<see cref="PublisherPrice"/>: more than 18
/// decimals, above the bound, negative) from failing anything but requests for it. Uploads refuse such prices, but a
/// registry row from an older version or edited by hand can still carry one: listings leave it out, a request
/// through it gets a 404 that says why, and each such adapter is logged as an error and counted once.
/// </summary>
internal sealed partial class AdapterPriceGuard(ILogger<AdapterPriceGuard> logger)
{
    private readonly ConcurrentDictionary<string, byte> _reported = new(StringComparer.Ordinal);

    /// <summary>Null when billing can charge the adapter's prices, otherwise why not.</summary>
    public string? Problem(AdapterInfo adapter)
    {
        var problem = Check(adapter.PriceInputPer1K, "price_input_per_1k") ?? Check(adapter.PriceOutputPer1K, "price_output_per_1k");
        if (problem is not null && _reported.TryAdd(adapter.Sha256, 0))
        {
            LogUnbillable(adapter.Name, adapter.Sha256, problem);
            ServerMetrics.UnbillableAdapters.Inc();
        }

        return problem;
    }

    /// <summary>The adapters billing can charge, in their order.</summary>
    public List<AdapterInfo> Billable(IEnumerable<AdapterInfo> adapters) => [.. adapters.Where(a => Problem(a) is null)];

    /// <summary>The target, or a 404 naming why its adapter cannot be served.</summary>
    public ModelTarget EnsureBillable(ModelTarget target) =>
        target.Adapter is { } adapter && Problem(adapter) is { } problem ? throw Unavailable(adapter.Name, problem) : target;

    /// <summary>404 <c>model_unavailable</c>: the model is registered but this server cannot serve it.</summary>
    public static ApiException Unavailable(string model, string reason) => ApiException.NotFound(
        $"The model '{model}' is registered but cannot be served: {reason}. Its publisher can upload it again to fix this.", "model", "model_unavailable");

    private static string? Check(decimal price, string field) =>
        PublisherPrice.TryToBaseUnits(price, out _) is { } problem
            ? $"its {field} {price} is not a price billing can charge ({problem}; a price must be {PublisherPrice.Bound})"
            : null;

    [LoggerMessage(Level = LogLevel.Error, Message = "Adapter {Name} ({Sha256}) is not served: {Problem}")]
    private partial void LogUnbillable(string name, string sha256, string problem);
}
