namespace OpenLoRA.Server.Endpoints.Attribution.Contracts;

/// <summary>The Datanet attached to an adapter (<c>POST /v1/adapters/{id}/datanet</c>).</summary>
internal sealed record DatanetResponse(
    string Object,
    string Adapter,
    string DatanetSha256,
    string IndexRoot,
    int Records,
    long Tokens,
    int Contributors,
    string Publisher,
    long Created);
