using System.Numerics;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Engine.Models;
using OpenLoRA.Server.Attribution;

namespace OpenLoRA.Server.Billing;

/// <summary>
/// Billing off (<c>OpenLoRA:Billing:Enabled = false</c>): no key is required and nothing is reserved or charged.
/// Traces still carry what the response would cost at the adapter publisher's prices.
/// </summary>
internal sealed class DisabledBilling : IInferenceBilling
{
    public bool Enabled => false;

    public Task<string?> AuthenticateAsync(HttpContext context) => Task.FromResult<string?>(null);

    public Task<BillingTicket?> ReserveAsync(string? account, ModelTarget target, int promptTokens, int maxTokens, CancellationToken cancellationToken) =>
        Task.FromResult<BillingTicket?>(null);

    public Task<BigInteger> SettleAsync(BillingTicket ticket, int promptTokens, int completionTokens, string? traceId, SplitRecipients split, IChargeCompanion? companion) =>
        throw new InvalidOperationException("Billing is off: no ticket is ever issued.");

    public Task SettleEarlyEndAsync(BillingTicket ticket, int promptTokens, int deliveredCompletionTokens, string? traceId, SplitRecipients split) =>
        throw new InvalidOperationException("Billing is off: no ticket is ever issued.");

    /// <summary>The adapter publisher's prices alone (no base-model price or fee without billing), rounded down.</summary>
    public BigInteger Price(ModelTarget target, int promptTokens, int completionTokens) =>
        target.Adapter is { } adapter
            ? (OpenAmount.FromOpen(adapter.PriceInputPer1K) * promptTokens + OpenAmount.FromOpen(adapter.PriceOutputPer1K) * completionTokens) / 1000
            : BigInteger.Zero;

    public string PublisherOf(ModelTarget target) => target.Adapter?.Publisher ?? TraceBuilder.NoPublisher;
}
