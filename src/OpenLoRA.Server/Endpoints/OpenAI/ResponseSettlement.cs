using System.Globalization;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Server.Attribution;
using OpenLoRA.Server.Billing;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>
/// The end of a response, after its last content was handed to the connection and before its final chunk: span
/// attribution, then the charge (split between the publisher, the contributors the attribution names, and the
/// protocol) and the signed trace carrying that charge, written in one transaction. A response that ends early is
/// charged by the documented rule instead.
/// </summary>
internal sealed partial class ResponseSettlement(IResponseTracer tracer, IInferenceBilling billing, TimeProvider time, ILogger<ResponseSettlement> logger)
{
    /// <summary>
    /// Makes the complete response's charge and trace durable. False when they could not be written (storage full or
    /// failing): nothing of them was committed, the failure is logged and counted, and the caller must not tell the
    /// client the response is complete.
    /// </summary>
    public async Task<bool> TryCompleteAsync(GenerationJob job, IGeneration generation, ResponseOutcome outcome)
    {
        try
        {
            await CompleteAsync(job, generation, outcome);
            return true;
        }
        catch (Exception ex)
        {
            BillingMetrics.SettlementFailures.Inc();
            LogSettlementFailed(ex, outcome.Ticket?.RequestId, job.TraceId);
            return false;
        }
    }

    /// <summary>
    /// A response that did not complete: the prompt plus the completion tokens actually delivered are charged to the
    /// publisher alone (no trace exists to name contributors), nothing when no token was delivered or the response is
    /// <see cref="ResponseOutcome.NotBillable"/>. Never throws:
    /// the request is already failing for its own reason.
    /// </summary>
    public async Task EndEarlyAsync(GenerationJob job, ResponseOutcome outcome)
    {
        if (outcome.Ticket is not { } ticket || outcome.Settled)
        {
            return;
        }

        try
        {
            // No delivered tokens to bill releases the reservation untouched.
            var delivered = outcome.NotBillable ? 0 : outcome.DeliveredTokens;
            await billing.SettleEarlyEndAsync(
                ticket, job.Prompt.Tokens.Count, delivered, null, SplitRecipients.PublisherOnly(billing.PublisherOf(job.Target)));
            outcome.Settled = true;
        }
        catch (Exception ex)
        {
            // The reservation stays open; the next start resolves it (released: delivery cannot be proven then).
            BillingMetrics.SettlementFailures.Inc();
            LogEarlyEndFailed(ex, ticket.RequestId);
        }
    }

    private async Task CompleteAsync(GenerationJob job, IGeneration generation, ResponseOutcome outcome)
    {
        var usage = generation.Usage;
        var tokens = generation.CompletionTokenIds;
        var attributed = job.TraceId is null ? null : tracer.Attribute(job.Target, tokens);
        var traced = job.TraceId is { } traceId
            ? new TracedResponse(traceId, job.Target, job.Prompt.Tokens, tokens, time.GetUtcNow().ToUnixTimeMilliseconds())
            : null;
        if (outcome.Ticket is { } ticket)
        {
            // The trace is signed with the amount the ledger charges and inserted in the charge's own transaction.
            var companion = traced is null ? null : new TraceChargeCompanion(tracer, traced, attributed!);
            outcome.Cost = await billing.SettleAsync(ticket, usage.PromptTokens, usage.CompletionTokens, job.TraceId, Split(job, attributed), companion);
            outcome.Settled = true;
            if (companion is { Written: true })
            {
                tracer.OnCommitted();
            }

            return;
        }

        // Billing off: nothing to charge, the trace carries what the response would cost at the publisher's prices.
        outcome.Settled = true;
        if (traced is not null)
        {
            var amount = billing.Price(job.Target, usage.PromptTokens, usage.CompletionTokens);
            tracer.Record(traced, attributed!, new TraceCharge(amount.ToString(CultureInfo.InvariantCulture), OpenAmount.Currency));
        }
    }

    private SplitRecipients Split(GenerationJob job, Attributed? attributed) => new(
        billing.PublisherOf(job.Target),
        attributed?.Result.Contributors.Select(c => new ContributorShare(c.Address, c.Ppm)).ToList() ?? []);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Could not make the charge and trace of complete response {RequestId} (trace {TraceId}) durable; the client gets settlement_failed instead of its final chunk")]
    private partial void LogSettlementFailed(Exception exception, string? requestId, string? traceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not settle request {RequestId} that ended early; its reservation stays open until the next start")]
    private partial void LogEarlyEndFailed(Exception exception, string requestId);
}
