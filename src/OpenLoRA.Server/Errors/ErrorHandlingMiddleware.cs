using System.Globalization;
using Microsoft.Extensions.Options;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Server.Http;
using OpenLoRA.Server.Sse;

namespace OpenLoRA.Server.Errors;

/// <summary>
/// Turns every failure that reaches the pipeline into an OpenAI-shaped error. Unexpected exceptions are logged and
/// answered with a generic 500: exception text can carry paths and internals, so it never goes to the client.
/// </summary>
internal sealed class ErrorHandlingMiddleware(IOptions<ServerOptions> options, ILogger<ErrorHandlingMiddleware> logger) : IMiddleware
{
    private const string InternalErrorMessage = "The server had an error while processing your request.";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException ex) when (context.RequestAborted.IsCancellationRequested || ex is ClientDisconnectedException)
        {
            // The client went away; nobody is left to answer. 499 is nginx's "client closed request", for the metrics.
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = 499;
            }
        }
        catch (Exception ex) when (context.Response.HasStarted)
        {
            // Headers are gone, so no status can be sent any more: cut the connection so the client sees a failure.
            logger.LogError(ex, "Request {Method} {Path} failed after the response started", context.Request.Method, context.Request.Path);
            context.Abort();
        }
        catch (Exception ex)
        {
            await WriteAsync(context, ex);
        }
    }

    private Task WriteAsync(HttpContext context, Exception exception)
    {
        var response = context.Response;

        // Drop whatever the failed handler set (content type, partial headers) before writing the error.
        response.Clear();
        switch (exception)
        {
            case ApiException api:
                return JsonResponse.WriteErrorAsync(response, api.StatusCode, api.Error);

            case QueueFullException full:
                var seconds = Math.Max(1, (int)Math.Ceiling(full.RetryAfter.TotalSeconds));
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return JsonResponse.WriteErrorAsync(
                    response,
                    StatusCodes.Status429TooManyRequests,
                    new OpenAIError(full.Message, OpenAIErrorTypes.Requests, null, "rate_limit_exceeded"));

            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return JsonResponse.WriteErrorAsync(
                    response,
                    bad.StatusCode,
                    new OpenAIError(
                        $"The request body is larger than the limit of {options.Value.MaxRequestBodyBytes} bytes.",
                        OpenAIErrorTypes.InvalidRequest,
                        null,
                        "request_too_large"));

            case BadHttpRequestException bad:
                // Kestrel's own messages (malformed framing, body timeouts) describe the request, not the server.
                return JsonResponse.WriteErrorAsync(
                    response, bad.StatusCode, new OpenAIError(bad.Message, OpenAIErrorTypes.InvalidRequest, null, null));

            default:
                logger.LogError(exception, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
                return JsonResponse.WriteErrorAsync(
                    response,
                    StatusCodes.Status500InternalServerError,
                    new OpenAIError(InternalErrorMessage, OpenAIErrorTypes.Server, null, null));
        }
    }
}
