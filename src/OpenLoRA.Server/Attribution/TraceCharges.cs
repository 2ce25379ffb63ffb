using System.Globalization;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Attribution;

/// <summary>
/// The charge a trace carries: the adapter publisher's prices per 1,000 prompt and completion tokens, in OPEN
/// base units (18 decimals), rounded down to a whole unit. Billing (accounts, reservations, platform fee, base-model
/// price) replaces this with the ledger's charge when it lands; the trace format does not change.
/// </summary>
internal static class TraceCharges
{
    public const string Currency = "OPEN";
    private const decimal BaseUnitsPerOpen = 1_000_000_000_000_000_000m;

    public static TraceCharge For(AdapterInfo adapter, int promptTokens, int completionTokens)
    {
        var open = (adapter.PriceInputPer1K * promptTokens + adapter.PriceOutputPer1K * completionTokens) / 1000m;
        var units = decimal.Floor(open * BaseUnitsPerOpen);
        return new TraceCharge(units.ToString("0", CultureInfo.InvariantCulture), Currency);
    }
}
