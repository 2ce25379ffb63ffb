namespace OpenLoRA.Engine.Scheduling;

/// <summary>
/// A piece of generated output. <see cref="Text"/> is always complete UTF-8 (never half a character) and never
/// contains text that could still turn into a stop sequence. The last delta has <see cref="Finish"/> set.
/// </summary>
public readonly record struct GenerationDelta(string Text, int CompletionTokens, FinishReason? Finish);
