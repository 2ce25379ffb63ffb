namespace OpenLoRA.Server.Attribution;

/// <summary>The Datanet attached to an adapter: its JSONL's sha256, its index root, and counts.</summary>
internal sealed record DatanetRow(
    string AdapterSha256,
    string DatanetSha256,
    string IndexRoot,
    int Records,
    long Tokens,
    int Contributors,
    string Publisher,
    long CreatedUnixMs);
