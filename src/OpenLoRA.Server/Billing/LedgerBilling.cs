using System.Numerics;
using Microsoft.Extensions.Options;
using OpenLoRA.Billing;
using OpenLoRA.Billing.Accounts;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Billing.Pricing;
using OpenLoRA.Engine.Models;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Billing;

/// <summary>Billing on: API keys, reservations and charges in the billing ledger (the shared SQLite database).</summary>
internal sealed class LedgerBilling(
    AccountService accounts, BillingLedger ledger, PriceCatalog prices, IOptions<BillingOptions> options, DepositAudit? deposits = null) : IInferenceBilling
{
    public bool Enabled => true;

    public async Task<string?> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.Unauthorized(
                "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'; create one with POST /v1/accounts.", null, "invalid_api_key");
        }

        var account = await accounts.AuthenticateAsync(header[scheme.Length..].Trim(), context.RequestAborted);
        return account?.Address
            ?? throw ApiException.Unauthorized("Incorrect or revoked API key provided.", null, "invalid_api_key");
    }

    public async Task<BillingTicket?> ReserveAsync(string? account, ModelTarget target, int promptTokens, int maxTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        deposits?.ThrowIfRefused(account);
        var quote = Quote(target);
        var ticket = new BillingTicket(account, "req_" + Guid.NewGuid().ToString("N"), quote);
        try
        {
            await ledger.ReserveAsync(account, ticket.RequestId, quote, promptTokens, maxTokens, cancellationToken);
        }
        catch (InsufficientBalanceException ex)
        {
            BillingMetrics.InsufficientQuota.Inc();
            throw ApiException.InsufficientQuota(
                $"This request needs up to {OpenAmount.Format(ex.Required)} OPEN (prompt and max_tokens) but the account's available balance is " +
                $"{OpenAmount.Format(ex.Available)} OPEN; deposit at least {OpenAmount.Format(ex.Shortfall)} OPEN more into the escrow, or lower max_tokens.");
        }

        return ticket;
    }

    public async Task<BigInteger> SettleAsync(
        BillingTicket ticket, int promptTokens, int completionTokens, string? traceId, SplitRecipients split, IChargeCompanion? companion)
    {
        // Not cancellable: once every token was handed to the connection the charge must be written, even if the
        // client left meanwhile.
        var result = await ledger.SettleAsync(
            ticket.RequestId, ticket.Quote.Charge(promptTokens, completionTokens), traceId, split, companion, CancellationToken.None);
        return result.Charged;
    }

    public async Task SettleEarlyEndAsync(BillingTicket ticket, int promptTokens, int deliveredCompletionTokens, string? traceId, SplitRecipients split)
    {
        if (deliveredCompletionTokens == 0)
        {
            await ledger.ReleaseAsync(ticket.RequestId, CancellationToken.None);
            return;
        }

        await ledger.SettleDeliveredAsync(ticket.RequestId, promptTokens, deliveredCompletionTokens, traceId, split, ticket.Quote, CancellationToken.None);
    }

    public BigInteger Price(ModelTarget target, int promptTokens, int completionTokens) => Quote(target).Charge(promptTokens, completionTokens);

    public string PublisherOf(ModelTarget target) => target.Adapter?.Publisher ?? options.Value.ProtocolAddress;

    private PriceQuote Quote(ModelTarget target)
    {
        var adapter = target.Adapter;
        return prices.Quote(
            target.BaseModel.Name,
            adapter is null ? BigInteger.Zero : OpenAmount.FromOpen(adapter.PriceInputPer1K),
            adapter is null ? BigInteger.Zero : OpenAmount.FromOpen(adapter.PriceOutputPer1K));
    }
}
