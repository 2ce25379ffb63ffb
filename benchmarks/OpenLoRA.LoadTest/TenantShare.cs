namespace OpenLoRA.LoadTest;

/// <summary>What one tenant sent and got.</summary>
internal sealed record TenantShare(int Tenant, double Weight, int Sent, int Succeeded, int OutputTokens, double TokenShare, double EndToEndP50);
