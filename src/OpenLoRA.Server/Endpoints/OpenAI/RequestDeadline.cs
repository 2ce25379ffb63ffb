using System.Globalization;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>
/// How long a generation may take, counted from the request's arrival: <c>OpenLoRA:Server:RequestTimeoutSeconds</c>,
/// or less when the client asks for less with the <c>OpenLoRA-Timeout</c> header (seconds, decimals allowed). A
/// larger header value is clamped to the configured limit: the operator's bound always holds.
/// </summary>
internal static class RequestDeadline
{
    public const string HeaderName = "OpenLoRA-Timeout";

    public static TimeSpan Resolve(HttpRequest request, ServerOptions options)
    {
        var limit = TimeSpan.FromSeconds(options.RequestTimeoutSeconds);
        if (!request.Headers.TryGetValue(HeaderName, out var values))
        {
            return limit;
        }

        if (values.Count != 1
            || !double.TryParse(values[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || !(seconds > 0) || double.IsInfinity(seconds))
        {
            throw ApiException.InvalidRequest(
                $"The {HeaderName} header must be one positive number of seconds.", null, "invalid_timeout");
        }

        return seconds >= limit.TotalSeconds ? limit : TimeSpan.FromSeconds(seconds);
    }
}
