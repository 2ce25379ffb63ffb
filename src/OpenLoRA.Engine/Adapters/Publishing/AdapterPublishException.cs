namespace OpenLoRA.Engine.Adapters.Publishing;

public sealed class AdapterPublishException(AdapterPublishError error, string message, string? param = null) : Exception(message)
{
    public AdapterPublishError Error { get; } = error;

    /// <summary>The request field at fault, for the OpenAI error's <c>param</c>.</summary>
    public string? Param { get; } = param;
}
