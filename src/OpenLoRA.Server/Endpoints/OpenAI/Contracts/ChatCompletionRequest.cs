namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

/// <summary>Body of <c>POST /v1/chat/completions</c>.</summary>
internal sealed class ChatCompletionRequest : GenerationRequest
{
    public List<ChatMessageRequest>? Messages { get; set; }

    /// <summary>OpenAI's newer name for <see cref="GenerationRequest.MaxTokens"/>; wins when both are given.</summary>
    public int? MaxCompletionTokens { get; set; }
}
