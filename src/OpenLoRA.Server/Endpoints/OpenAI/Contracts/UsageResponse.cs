namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

internal sealed record UsageResponse(int PromptTokens, int CompletionTokens, int TotalTokens);
