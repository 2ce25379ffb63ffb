namespace OpenLoRA.Engine.Adapters;

internal sealed record ResidentAdapterLimits(int MaxCount, long MaxBytes);
