namespace OpenLoRA.Engine.Scheduling;

/// <summary>A prompt after templating and tokenization, ready to submit.</summary>
public sealed record PreparedPrompt(string Text, IReadOnlyList<int> Tokens);
