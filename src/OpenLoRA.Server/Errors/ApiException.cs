using System.Globalization;
using OpenLoRA.Engine.Scheduling;

namespace OpenLoRA.Server.Errors;

/// <summary>A request the server refuses with a known status and OpenAI error body.</summary>
internal sealed class ApiException(int statusCode, OpenAIError error) : Exception(error.Message)
{
    public int StatusCode { get; } = statusCode;

    public OpenAIError Error { get; } = error;

    public static ApiException InvalidRequest(string message, string? param, string? code = null) =>
        new(StatusCodes.Status400BadRequest, new OpenAIError(message, OpenAIErrorTypes.InvalidRequest, param, code));

    public static ApiException ModelNotFound(string model) =>
        new(StatusCodes.Status404NotFound, new OpenAIError(
            $"The model '{model}' does not exist or you do not have access to it.",
            OpenAIErrorTypes.InvalidRequest,
            "model",
            "model_not_found"));

    public static ApiException ContextLengthExceeded(string message, string param) =>
        InvalidRequest(message, param, "context_length_exceeded");

    /// <summary>401 for a missing, malformed, stale or reused publisher signature.</summary>
    public static ApiException Unauthorized(string message, string? param, string code) =>
        new(StatusCodes.Status401Unauthorized, new OpenAIError(message, OpenAIErrorTypes.InvalidRequest, param, code));

    public static ApiException Forbidden(string message, string? param, string code) =>
        new(StatusCodes.Status403Forbidden, new OpenAIError(message, OpenAIErrorTypes.InvalidRequest, param, code));

    public static ApiException NotFound(string message, string? param, string code) =>
        new(StatusCodes.Status404NotFound, new OpenAIError(message, OpenAIErrorTypes.InvalidRequest, param, code));

    public static ApiException Conflict(string message, string? param, string code) =>
        new(StatusCodes.Status409Conflict, new OpenAIError(message, OpenAIErrorTypes.InvalidRequest, param, code));

    public static ApiException PayloadTooLarge(string message, string? param, string code) =>
        new(StatusCodes.Status413PayloadTooLarge, new OpenAIError(message, OpenAIErrorTypes.InvalidRequest, param, code));

    /// <summary>504: the request's deadline passed before its generation ended; what was generated is discarded.</summary>
    public static ApiException DeadlineExceeded(TimeSpan timeout) =>
        new(StatusCodes.Status504GatewayTimeout, new OpenAIError(
            string.Create(CultureInfo.InvariantCulture, $"The request did not complete within its {timeout.TotalSeconds:0.###} s deadline."),
            OpenAIErrorTypes.Server,
            null,
            "deadline_exceeded"));

    /// <summary>402 with OpenAI's code for an exhausted balance.</summary>
    public static ApiException InsufficientQuota(string message) =>
        new(StatusCodes.Status402PaymentRequired, new OpenAIError(message, "insufficient_quota", null, "insufficient_quota"));

    /// <summary>503: the server stopped while this request was generating (its delivered tokens are charged).</summary>
    public static ApiException ShuttingDown() =>
        new(StatusCodes.Status503ServiceUnavailable, new OpenAIError(
            "The server is shutting down; the generation was stopped. Retry the request.", OpenAIErrorTypes.Server, null, "server_shutting_down"));

    /// <summary>
    /// 500 <c>adapter_numerical_error</c>: a step gave the sequence NaN or infinite logits. A server-side failure
    /// (the request is valid), but with its own code because retrying the same adapter and prompt fails the same way.
    /// </summary>
    public static ApiException NumericalError(NonFiniteLogitsException failure) =>
        new(StatusCodes.Status500InternalServerError, NumericalErrorOf(failure));

    /// <summary>The error of <see cref="NumericalError"/>, also sent as a stream's error event.</summary>
    public static OpenAIError NumericalErrorOf(NonFiniteLogitsException failure) => new(
        $"{failure.Message} The generation was stopped and is not charged.", OpenAIErrorTypes.Server, null, "adapter_numerical_error");

    /// <summary>500: the response's charge and trace could not be written (storage full or failing); it is not delivered as complete.</summary>
    public static ApiException SettlementFailed() =>
        new(StatusCodes.Status500InternalServerError, new OpenAIError(
            "The server could not record this response's charge and trace, so the response was not completed. Retry the request.",
            OpenAIErrorTypes.Server, null, "settlement_failed"));

    public static ApiException ModelsLoading() =>
        new(StatusCodes.Status503ServiceUnavailable, new OpenAIError(
            "The models are still loading; retry shortly.", OpenAIErrorTypes.Server, null, "models_loading"));
}
