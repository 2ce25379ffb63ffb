namespace OpenLoRA.Attribution.Scoring;

/// <summary>A contributor's share of one inference, in parts per million; the shares of a result sum to 1,000,000.</summary>
public sealed record ContributorShare(string Address, int Ppm);
