namespace OpenLoRA.Server.Errors;

/// <summary>The body of every error, as OpenAI sends it: <c>param</c> and <c>code</c> are written even when null.</summary>
internal sealed record OpenAIError(string Message, string Type, string? Param, string? Code);
