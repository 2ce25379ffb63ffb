namespace OpenLoRA.Gguf.Peft;

/// <summary>What a conversion produced.</summary>
public sealed record PeftConversion(int Rank, float Alpha, IReadOnlyList<string> Targets);
