namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

/// <summary><c>stream_options</c>; only valid with <c>stream: true</c>.</summary>
internal sealed class StreamOptionsRequest
{
    /// <summary>Send a last chunk with empty <c>choices</c> and the request's usage.</summary>
    public bool? IncludeUsage { get; set; }
}
