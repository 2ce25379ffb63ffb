using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Endpoints.Health;

/// <summary>
/// <c>{"status":"ok"}</c>, <c>{"status":"loading"}</c>, or <c>{"status":"degraded","details":[…]}</c> while the chain
/// contradicts the server's durable state (see <see cref="HealthDetail"/>).
/// </summary>
internal sealed record HealthResponse(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<HealthDetail>? Details = null);
