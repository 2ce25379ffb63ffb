namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

internal sealed record ChatResponseMessage(string Role, string Content);
