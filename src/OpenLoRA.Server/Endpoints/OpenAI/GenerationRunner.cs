using System.Text;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Server.Billing;
using OpenLoRA.Server.Endpoints.OpenAI.Contracts;
using OpenLoRA.Server.Errors;
using OpenLoRA.Server.Hosting;
using OpenLoRA.Server.Http;
using OpenLoRA.Server.Metrics;
using OpenLoRA.Server.Sse;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>Submits a generation and answers with it, whole or as server-sent events.</summary>
internal sealed class GenerationRunner(
    IInferenceService inference,
    IInferenceBilling billing,
    ResponseSettlement settlement,
    ShutdownDrain shutdown,
    TimeProvider time,
    ILogger<GenerationRunner> logger)
{
    public const string TraceIdHeader = "OpenLoRA-Trace-Id";

    /// <summary>The billing request id (the key of the reservation and the charge), sent with every billed response.</summary>
    public const string RequestIdHeader = "OpenLoRA-Request-Id";

    public async Task RunAsync(HttpContext context, GenerationJob job)
    {
        if (job.Prompt.Tokens.Count == 0)
        {
            throw ApiException.InvalidRequest("The prompt is empty.", job.Format.PromptParam);
        }

        // The deadline counts from arrival, so time spent reading the body and tokenizing is included.
        var remaining = job.Timeout - time.GetElapsedTime(job.StartTimestamp);
        if (remaining <= TimeSpan.Zero)
        {
            throw ApiException.DeadlineExceeded(job.Timeout);
        }

        // The request's abort token and its deadline go to the engine: a client that disconnects, or a request that
        // runs out of time, frees its slot and adapter pin within one step.
        var aborted = context.RequestAborted;
        using var deadline = new CancellationTokenSource(remaining, time);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(aborted, deadline.Token, shutdown.Token);

        // The worst case (prompt + the max_tokens the context can actually produce) is reserved before the engine sees
        // the request: 402 when it cannot be paid.
        var reservable = CompletionLimit.Of(job.Target.BaseModel.ContextSize, job.Prompt.Tokens.Count, job.Settings.Sampling.MaxTokens);
        var outcome = new ResponseOutcome(await billing.ReserveAsync(job.Account, job.Target, job.Prompt.Tokens.Count, reservable, aborted));
        if (outcome.Ticket is { } ticket)
        {
            context.Response.Headers[RequestIdHeader] = ticket.RequestId;
        }

        try
        {
            IGeneration generation;
            try
            {
                generation = inference.Submit(job.Target, job.Prompt, job.Settings.Sampling, cancellation.Token);
            }
            catch (ContextLengthExceededException ex)
            {
                throw ApiException.ContextLengthExceeded(ex.Message, job.Format.PromptParam);
            }

            await using (generation)
            {
                var timer = new GenerationTimer(time, job.StartTimestamp, job.Target.BaseModel.Name, job.Target.Adapter?.Name);
                FinishReason? finish = null;
                try
                {
                    finish = job.Settings.Stream
                        ? await StreamAsync(context, job, generation, timer, outcome, deadline.Token, aborted)
                        : await RespondAsync(context, job, generation, timer, outcome, deadline.Token, aborted);
                }
                finally
                {
                    var usage = generation.Usage;
                    timer.OnEnded(usage, finish is FinishReason.Stop or FinishReason.Length);
                    logger.LogDebug(
                        "Generation for {Model} (user {User}) ended: {Finish}, {PromptTokens}+{CompletionTokens} tokens",
                        job.Target.ResponseModelId, job.Settings.User, finish, usage.PromptTokens, usage.CompletionTokens);
                }
            }
        }
        finally
        {
            await settlement.EndEarlyAsync(job, outcome);
        }
    }

    private async Task<FinishReason?> RespondAsync(
        HttpContext context, GenerationJob job, IGeneration generation, GenerationTimer timer, ResponseOutcome outcome,
        CancellationToken deadline, CancellationToken aborted)
    {
        var text = new StringBuilder();
        FinishReason? finish = null;
        try
        {
            await foreach (var delta in generation.Deltas.WithCancellation(aborted))
            {
                timer.OnDelta(delta);
                text.Append(delta.Text);
                finish = delta.Finish ?? finish;
            }
        }
        catch (NonFiniteLogitsException ex)
        {
            outcome.NotBillable = true;
            throw ApiException.NumericalError(ex);
        }

        aborted.ThrowIfCancellationRequested();
        if (finish == FinishReason.Cancelled && deadline.IsCancellationRequested)
        {
            throw ApiException.DeadlineExceeded(job.Timeout);
        }

        if (finish == FinishReason.Cancelled && shutdown.Token.IsCancellationRequested)
        {
            throw ApiException.ShuttingDown();
        }

        var reason = ToOpenAI(finish) ?? throw new InvalidOperationException($"The generation ended without a usable finish reason ({finish}).");
        if (!await settlement.TryCompleteAsync(job, generation, outcome))
        {
            // Nothing was sent yet: the client gets the error instead of an unpaid response, and is not charged.
            throw ApiException.SettlementFailed();
        }

        if (job.TraceId is { } traceId)
        {
            context.Response.Headers[TraceIdHeader] = traceId;
        }

        await job.Format.WriteResponseAsync(context.Response, text.ToString(), reason, ToUsage(generation.Usage, outcome));
        return finish;
    }

    private async Task<FinishReason?> StreamAsync(
        HttpContext context, GenerationJob job, IGeneration generation, GenerationTimer timer, ResponseOutcome outcome,
        CancellationToken deadline, CancellationToken aborted)
    {
        using var sse = new SseWriter(context.Response);
        if (job.TraceId is { } traceId)
        {
            context.Response.Headers[TraceIdHeader] = traceId;
        }

        await sse.StartAsync(aborted);
        await job.Format.WriteStreamStartAsync(sse, aborted);
        FinishReason? finish = null;
        try
        {
            await foreach (var delta in generation.Deltas.WithCancellation(aborted))
            {
                timer.OnDelta(delta);
                if (delta.Text.Length > 0)
                {
                    await job.Format.WriteStreamTextAsync(sse, delta.Text, aborted);
                    outcome.DeliveredTokens = delta.CompletionTokens;
                }

                finish = delta.Finish ?? finish;
            }
        }
        catch (NonFiniteLogitsException ex)
        {
            // Logged by the scheduler. What was streamed before is not a model's output either: nothing is charged.
            outcome.NotBillable = true;
            await WriteErrorEventAsync(sse, ApiException.NumericalErrorOf(ex), aborted);
            return finish;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Headers are sent, so the status can no longer say it: report it as an event and end the stream.
            logger.LogError(ex, "Generation for {Model} failed mid-stream", job.Target.ResponseModelId);
            await WriteErrorEventAsync(sse, new OpenAIError("The server had an error while generating.", OpenAIErrorTypes.Server, null, null), aborted);
            return finish;
        }

        aborted.ThrowIfCancellationRequested();
        if (ToOpenAI(finish) is not { } reason)
        {
            // Cancelled by the deadline or by the engine itself (shutdown) while the client is still listening.
            var error = deadline.IsCancellationRequested ? ApiException.DeadlineExceeded(job.Timeout).Error
                : shutdown.Token.IsCancellationRequested ? ApiException.ShuttingDown().Error
                : new OpenAIError("The generation was cancelled by the server.", OpenAIErrorTypes.Server, null, null);
            await WriteErrorEventAsync(sse, error, aborted);
            return finish;
        }

        // Every content chunk was handed to the connection; the final chunk is held back until the charge and the trace
        // are durable, so no client ever holds a complete response that is not paid. When they cannot be written, the
        // stream ends with an error event instead (the delivered tokens are then charged by the early-end rule).
        if (!await settlement.TryCompleteAsync(job, generation, outcome))
        {
            await WriteErrorEventAsync(sse, ApiException.SettlementFailed().Error, aborted);
            return null;
        }

        await job.Format.WriteStreamFinishAsync(sse, reason, aborted);
        if (job.Settings.IncludeUsage)
        {
            await job.Format.WriteStreamUsageAsync(sse, ToUsage(generation.Usage, outcome), aborted);
        }

        await sse.WriteDoneAsync(aborted);
        return finish;
    }

    private static ValueTask WriteErrorEventAsync(SseWriter sse, OpenAIError error, CancellationToken aborted) =>
        sse.WriteAsync(new OpenAIErrorResponse(error), ServerJsonContext.Default.OpenAIErrorResponse, aborted);

    private static string? ToOpenAI(FinishReason? finish) => finish switch
    {
        FinishReason.Stop => "stop",
        FinishReason.Length => "length",
        _ => null,
    };

    private static UsageResponse ToUsage(GenerationUsage usage, ResponseOutcome outcome) =>
        new(usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens, outcome.Cost is { } cost ? OpenAmount.Format(cost) : null);
}
