namespace OpenLoRA.Server.Attribution;

/// <summary>
/// The "attribution" component's tables in the shared database. Traces are numbered in insertion order
/// (<c>seq</c>); a batch takes the oldest unbatched ones, so a trace stored before a crash is batched after it.
/// </summary>
internal static class AttributionSchema
{
    public const string Component = "attribution";

    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE attribution_traces (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            trace_hash TEXT NOT NULL,
            canonical TEXT NOT NULL,
            signature TEXT NOT NULL,
            signer TEXT NOT NULL,
            completion_token_ids TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            batch_id INTEGER NULL
        );
        CREATE INDEX attribution_traces_unbatched ON attribution_traces (batch_id, seq);
        CREATE TABLE attribution_batches (
            id INTEGER PRIMARY KEY,
            root TEXT NOT NULL,
            count INTEGER NOT NULL,
            first_seq INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            manifest_hash TEXT NOT NULL,
            sealed_ms INTEGER NOT NULL
        );
        CREATE TABLE attribution_datanets (
            adapter_sha256 TEXT PRIMARY KEY,
            datanet_sha256 TEXT NOT NULL,
            index_root TEXT NOT NULL,
            records INTEGER NOT NULL,
            tokens INTEGER NOT NULL,
            contributors INTEGER NOT NULL,
            publisher TEXT NOT NULL,
            created_ms INTEGER NOT NULL
        )
        """,
    ];
}
