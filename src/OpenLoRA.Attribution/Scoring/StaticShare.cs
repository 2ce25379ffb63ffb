namespace OpenLoRA.Attribution.Scoring;

/// <summary>An adapter's declared contributor share, used when nothing in the completion matches its Datanet.</summary>
/// <param name="Address">0x address.</param>
/// <param name="Weight">Relative weight (ppm or any unit; only ratios matter).</param>
public sealed record StaticShare(string Address, ulong Weight);
