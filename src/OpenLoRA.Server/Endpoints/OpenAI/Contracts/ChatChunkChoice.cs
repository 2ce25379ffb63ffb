namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

/// <summary><see cref="FinishReason"/> is written as null until the last content chunk, as OpenAI does.</summary>
internal sealed record ChatChunkChoice(int Index, ChatDelta Delta, string? FinishReason);
