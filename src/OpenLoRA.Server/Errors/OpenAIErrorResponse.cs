namespace OpenLoRA.Server.Errors;

/// <summary><c>{"error":{...}}</c>.</summary>
internal sealed record OpenAIErrorResponse(OpenAIError Error);
