namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// A generated LoRA adapter: which projections of every layer it targets (plus, optionally, the output head), its
/// rank, alpha and tensor type, and <see cref="Strength"/>: the std of its update B·A·alpha/r relative to the std
/// of the base weights it modifies.
/// </summary>
internal sealed record LoraAdapterSpec(
    string Name,
    int Rank,
    float Alpha,
    IReadOnlyList<string> Projections,
    bool TargetsOutput,
    GgmlType Type,
    float Strength);
