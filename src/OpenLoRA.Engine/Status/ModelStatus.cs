namespace OpenLoRA.Engine.Status;

/// <summary>One base model's load at one moment.</summary>
/// <param name="Model">Base model name.</param>
/// <param name="WaitingRequests">Requests queued for a sequence slot (adapter loading included).</param>
/// <param name="RunningRequests">Sequences holding a slot (prefilling or decoding).</param>
/// <param name="KvCellsUsed">KV cells holding tokens of running sequences.</param>
/// <param name="KvCellsTotal">KV cells of the context: sequence slots × per-sequence context size.</param>
/// <param name="MaxResidentAdapters">Adapter slots: how many adapters may be loaded at once.</param>
/// <param name="RunningAdapters">Loaded adapters pinned by at least one request (ordinal order).</param>
/// <param name="WaitingAdapters">Adapters requests wait for: queued for loading or loading (ordinal order).</param>
public sealed record ModelStatus(
    string Model,
    int WaitingRequests,
    int RunningRequests,
    long KvCellsUsed,
    long KvCellsTotal,
    int MaxResidentAdapters,
    IReadOnlyList<string> RunningAdapters,
    IReadOnlyList<string> WaitingAdapters)
{
    /// <summary>Fraction of KV cells in use, 0 to 1.</summary>
    public double KvCacheUsage => KvCellsTotal <= 0 ? 0 : Math.Clamp((double)KvCellsUsed / KvCellsTotal, 0, 1);
}
