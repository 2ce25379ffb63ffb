namespace OpenLoRA.LoadTest;

/// <summary>One planned request: when (open loop), who, which model, how long a prompt and answer.</summary>
internal sealed record RequestPlan(int Index, TimeSpan ArrivalOffset, int Tenant, string Model, string Prompt, int MaxTokens);
