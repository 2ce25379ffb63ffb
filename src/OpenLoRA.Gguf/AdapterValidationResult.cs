using System.Diagnostics.CodeAnalysis;

namespace OpenLoRA.Gguf;

/// <summary>
/// Outcome of <see cref="AdapterValidator.Validate(string, BaseModelShapes)"/>: either the reason a file must not
/// reach llama.cpp, or what the adapter is (rank, alpha, targeted base tensors, size).
/// </summary>
public sealed class AdapterValidationResult
{
    private AdapterValidationResult(string? reason, int rank, float alpha, IReadOnlyList<string> targets, long sizeBytes)
    {
        Reason = reason;
        Rank = rank;
        Alpha = alpha;
        Targets = targets;
        SizeBytes = sizeBytes;
    }

    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsValid => Reason is null;

    /// <summary>Why the file was refused, naming the key or tensor; null when valid.</summary>
    public string? Reason { get; }

    /// <summary>The LoRA rank; the largest one when pairs differ (llama.cpp allows that).</summary>
    public int Rank { get; }

    /// <summary><c>adapter.lora.alpha</c>; 0 when absent, in which case llama.cpp applies B·A unscaled.</summary>
    public float Alpha { get; }

    /// <summary>Base-model tensor names the adapter modifies, sorted ordinally (e.g. "blk.0.attn_q.weight").</summary>
    public IReadOnlyList<string> Targets { get; }

    public long SizeBytes { get; }

    internal static AdapterValidationResult Valid(int rank, float alpha, IReadOnlyList<string> targets, long sizeBytes) =>
        new(null, rank, alpha, targets, sizeBytes);

    internal static AdapterValidationResult Invalid(string reason) => new(reason, 0, 0, [], 0);

    public override string ToString() => IsValid
        ? $"OK (rank {Rank}, alpha {Alpha}, {Targets.Count} targets, {SizeBytes} bytes)"
        : Reason;
}
