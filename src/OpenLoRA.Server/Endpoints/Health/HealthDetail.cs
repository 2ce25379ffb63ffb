namespace OpenLoRA.Server.Endpoints.Health;

/// <summary>One reason the server is degraded: the component (<c>chain.submitter</c>, <c>chain.settlement</c>,
/// <c>chain.deposits</c>), the kind of contradiction, what it means and what the server does about it, and since when.</summary>
internal sealed record HealthDetail(string Component, string Kind, string Message, DateTimeOffset Since);
