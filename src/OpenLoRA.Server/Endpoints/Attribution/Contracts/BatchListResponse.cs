namespace OpenLoRA.Server.Endpoints.Attribution.Contracts;

/// <summary><c>GET /v1/batches</c>: the newest batches, newest first.</summary>
internal sealed record BatchListResponse(string Object, IReadOnlyList<BatchResponse> Data);
