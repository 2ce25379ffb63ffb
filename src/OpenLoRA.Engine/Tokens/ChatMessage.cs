namespace OpenLoRA.Engine.Tokens;

/// <summary>One chat turn with plain-text content.</summary>
public sealed record ChatMessage(string Role, string Content);
