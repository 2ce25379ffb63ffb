namespace OpenLoRA.Engine.Tokens;

/// <summary>Text safe to emit, and whether a stop sequence ended the generation.</summary>
internal readonly record struct StopMatch(string Emit, bool Stopped);
