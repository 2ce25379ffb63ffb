namespace OpenLoRA.Server.Errors;

/// <summary>The <c>type</c> values OpenAI uses.</summary>
internal static class OpenAIErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";

    public const string Server = "server_error";

    /// <summary>OpenAI's type for request-rate limits (paired with code <c>rate_limit_exceeded</c>).</summary>
    public const string Requests = "requests";
}
