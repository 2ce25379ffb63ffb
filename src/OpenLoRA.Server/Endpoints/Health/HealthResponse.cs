namespace OpenLoRA.Server.Endpoints.Health;

/// <summary><c>{"status":"ok"}</c> or <c>{"status":"loading"}</c>.</summary>
internal sealed record HealthResponse(string Status);
