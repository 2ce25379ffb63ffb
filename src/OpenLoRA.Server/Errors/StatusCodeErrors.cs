using Microsoft.AspNetCore.Diagnostics;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Errors;

/// <summary>Bodies for the statuses routing sets without writing anything (404 unknown route, 405 wrong method).</summary>
internal static class StatusCodeErrors
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var message = status switch
        {
            StatusCodes.Status404NotFound => $"Unknown request URL: {http.Request.Method} {http.Request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"Method {http.Request.Method} is not allowed for {http.Request.Path}.",
            _ => $"The request failed with status {status}.",
        };
        var type = status >= 500 ? OpenAIErrorTypes.Server : OpenAIErrorTypes.InvalidRequest;
        var code = status switch
        {
            StatusCodes.Status404NotFound => "unknown_url",
            StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
            _ => null,
        };
        return JsonResponse.WriteErrorAsync(http.Response, status, new OpenAIError(message, type, null, code));
    }
}
