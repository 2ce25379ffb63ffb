using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

/// <summary>One message of a chat request.</summary>
internal sealed class ChatMessageRequest
{
    public string? Role { get; set; }

    /// <summary>A string or an array of text parts, flattened to one string when read.</summary>
    [JsonConverter(typeof(MessageContentConverter))]
    public string? Content { get; set; }

    public string? Name { get; set; }
}
