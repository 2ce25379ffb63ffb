namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

internal sealed record ChatCompletionChoice(int Index, ChatResponseMessage Message, string FinishReason);
