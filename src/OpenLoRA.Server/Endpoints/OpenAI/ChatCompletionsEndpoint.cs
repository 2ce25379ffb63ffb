using System.Text.Json.Serialization.Metadata;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Engine.Tokens;
using OpenLoRA.Server.Endpoints.OpenAI.Contracts;
using OpenLoRA.Server.Errors;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary><c>POST /v1/chat/completions</c>.</summary>
internal sealed class ChatCompletionsEndpoint(GenerationServices services) : GenerationEndpoint<ChatCompletionRequest>(services)
{
    protected override JsonTypeInfo<ChatCompletionRequest> RequestType => ServerJsonContext.Default.ChatCompletionRequest;

    protected override GenerationSettings Validate(RequestValidator validator, ChatCompletionRequest request)
    {
        var settings = request.MaxCompletionTokens is { } maxCompletionTokens
            ? validator.Validate(request, maxCompletionTokens, "max_completion_tokens")
            : validator.Validate(request, request.MaxTokens, "max_tokens");
        if (request.Messages is not { Count: > 0 } messages)
        {
            throw ApiException.InvalidRequest(
                "'messages' must contain at least one message.", "messages", request.Messages is null ? "missing_required_parameter" : "empty_array");
        }

        for (var i = 0; i < messages.Count; i++)
        {
            ValidateRole(messages[i]?.Role, i);
        }

        return settings;
    }

    protected override PreparedPrompt Prepare(IInferenceService inference, ModelTarget target, ChatCompletionRequest request) =>
        inference.PrepareChat(target, [.. request.Messages!.Select(m => new ChatMessage(m.Role!, m.Content ?? ""))]);

    protected override IGenerationFormat CreateFormat(string model, long created, string? traceId) =>
        new ChatGenerationFormat(ResponseIds.New("chatcmpl-"), created, model, traceId);

    private static void ValidateRole(string? role, int index)
    {
        if (role is not ("system" or "developer" or "user" or "assistant"))
        {
            throw ApiException.InvalidRequest(
                $"Invalid role '{role}' in messages[{index}]; supported roles are system, developer, user and assistant.",
                $"messages[{index}].role",
                "invalid_value");
        }
    }
}
