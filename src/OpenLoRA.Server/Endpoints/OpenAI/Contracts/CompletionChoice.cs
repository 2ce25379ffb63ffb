namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

internal sealed record CompletionChoice(string Text, int Index, string? FinishReason);
