using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Models;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>Maps the publisher's refusals to HTTP statuses; its message is the reason the client sees.</summary>
internal static class PublishErrors
{
    private static ApiException ToApiException(AdapterPublishException ex) => ex.Error switch
    {
        AdapterPublishError.Invalid => ApiException.InvalidRequest(ex.Message, ex.Param, "invalid_adapter"),
        AdapterPublishError.Forbidden => ApiException.Forbidden(ex.Message, ex.Param, "not_publisher"),
        AdapterPublishError.NotFound => NotFound(ex.Message, ex.Param),
        AdapterPublishError.Conflict => ApiException.Conflict(ex.Message, ex.Param, "adapter_exists"),
        AdapterPublishError.Replayed => ApiException.Unauthorized(ex.Message, ex.Param, "signature_replayed"),
        _ => throw new InvalidOperationException($"Unknown publish error {ex.Error}.", ex),
    };

    /// <summary>Runs a publisher call, turning its refusal into the matching API error.</summary>
    public static async Task<AdapterInfo> RunAsync(Func<Task<AdapterInfo>> call)
    {
        try
        {
            return await call();
        }
        catch (AdapterPublishException ex)
        {
            throw ToApiException(ex);
        }
    }

    public static ApiException NotFound(string message, string? param) => ApiException.NotFound(message, param, "adapter_not_found");
}
