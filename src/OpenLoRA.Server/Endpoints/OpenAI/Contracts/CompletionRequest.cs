namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

/// <summary>Body of <c>POST /v1/completions</c> (the legacy API); the prompt is one string.</summary>
internal sealed class CompletionRequest : GenerationRequest
{
    public string? Prompt { get; set; }
}
