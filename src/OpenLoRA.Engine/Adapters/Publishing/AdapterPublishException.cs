namespace OpenLoRA.Engine.Adapters.Publishing;

public sealed class AdapterPublishException(AdapterPublishError error, string message, string? param = null) : Exception(message)
{
    public AdapterPublishError Error { get; } = error;

    /// <summary>The request field at fault, for the OpenAI error's <c>param</c>.</summary>
    public string? Param { get; } = param;

    internal static AdapterPublishException Invalid(string message, string param) => new(AdapterPublishError.Invalid, message, param);

    internal static AdapterPublishException Forbidden(string message, string param) => new(AdapterPublishError.Forbidden, message, param);

    internal static AdapterPublishException NotFound(string idOrName) => new(AdapterPublishError.NotFound, $"No adapter '{idOrName}'.", "id");

    internal static AdapterPublishException Conflict(string message, string param) => new(AdapterPublishError.Conflict, message, param);

    internal static AdapterPublishException Replayed() => new(AdapterPublishError.Replayed, "This signature was already used.", "signature");
}
