namespace OpenLoRA.Chain.Health;

/// <summary>One open contradiction: which component, what kind, what it means, and since when.</summary>
public sealed record ChainHealthCondition(string Component, string Kind, string Message, DateTimeOffset Since);
