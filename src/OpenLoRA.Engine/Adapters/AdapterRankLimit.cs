using OpenLoRA.Engine.Models;

namespace OpenLoRA.Engine.Adapters;

/// <summary>
/// The one rule for adapters whose rank the base model's backend cannot hold: the ggml backend's slots have a single
/// rank (<c>LoraSlotRank</c>), and an adapter above it would fail every request at load. Applied at upload, to the
/// configured folder and to the registered uploads at start, with the same reason text.
/// </summary>
internal static class AdapterRankLimit
{
    /// <summary>Why an adapter of <paramref name="rank"/> cannot run on <paramref name="baseModel"/>, or null when it can.</summary>
    public static string? Check(BaseModelInfo baseModel, int rank) =>
        baseModel.MaxAdapterRank is { } max && rank > max
            ? $"its rank {rank} is above LoraSlotRank {max}, the LoRA slot rank of the ggml backend that serves base model '{baseModel.Name}' " +
              $"(adapters of rank up to {max} run; the operator sets OpenLoRA:Engine:BaseModels:N:LoraSlotRank)"
            : null;
}
