using System.Globalization;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Server.Attribution;
using OpenLoRA.Server.Billing;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>
/// The end of a response, after its last token was streamed and before its final chunk: span attribution, the
/// charge (written durably, split between the publisher, the contributors the attribution names, and the protocol),
/// and the signed trace carrying that charge. A response that ends early is charged by the documented rule instead.
/// </summary>
internal sealed class ResponseSettlement(IResponseTracer tracer, IInferenceBilling billing, TimeProvider time, ILogger<ResponseSettlement> logger)
{
    public async Task CompleteAsync(GenerationJob job, IGeneration generation, ResponseOutcome outcome)
    {
        var usage = generation.Usage;
        var tokens = generation.CompletionTokenIds;
        var attributed = job.TraceId is null ? null : tracer.Attribute(job.Target, tokens);
        if (outcome.Ticket is { } ticket)
        {
            outcome.Cost = await billing.SettleAsync(ticket, usage.PromptTokens, usage.CompletionTokens, job.TraceId, Split(job, attributed));
        }

        outcome.Settled = true;
        if (job.TraceId is { } traceId)
        {
            var amount = outcome.Cost ?? billing.Price(job.Target, usage.PromptTokens, usage.CompletionTokens);
            tracer.Record(
                new TracedResponse(traceId, job.Target, job.Prompt.Tokens, tokens, time.GetUtcNow().ToUnixTimeMilliseconds()),
                attributed!,
                new TraceCharge(amount.ToString(CultureInfo.InvariantCulture), OpenAmount.Currency));
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
            logger.LogError(ex, "Could not settle request {RequestId} that ended early", ticket.RequestId);
        }
    }

    private SplitRecipients Split(GenerationJob job, Attributed? attributed) => new(
        billing.PublisherOf(job.Target),
        attributed?.Result.Contributors.Select(c => new ContributorShare(c.Address, c.Ppm)).ToList() ?? []);
}
