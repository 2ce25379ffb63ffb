using System.Text.Json.Serialization.Metadata;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Server.Endpoints.OpenAI.Contracts;
using OpenLoRA.Server.Errors;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary><c>POST /v1/completions</c> (the legacy API).</summary>
internal sealed class CompletionsEndpoint(GenerationServices services) : GenerationEndpoint<CompletionRequest>(services)
{
    protected override JsonTypeInfo<CompletionRequest> RequestType => ServerJsonContext.Default.CompletionRequest;

    protected override GenerationSettings Validate(RequestValidator validator, CompletionRequest request)
    {
        var settings = validator.Validate(request, request.MaxTokens, "max_tokens");
        if (string.IsNullOrEmpty(request.Prompt))
        {
            throw ApiException.InvalidRequest(
                "'prompt' must be a non-empty string.", "prompt", request.Prompt is null ? "missing_required_parameter" : "invalid_value");
        }

        return settings;
    }

    protected override PreparedPrompt Prepare(IInferenceService inference, ModelTarget target, CompletionRequest request) =>
        inference.PrepareCompletion(target, request.Prompt!);

    protected override IGenerationFormat CreateFormat(string model, long created, string? traceId) =>
        new CompletionGenerationFormat(ResponseIds.New("cmpl-"), created, model, traceId);
}
