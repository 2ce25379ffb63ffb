namespace OpenLoRA.Engine.Adapters.Registry;

/// <summary>
/// Tables of published adapters. Portable SQL (PostgreSQL accepts it too): prices as exact decimal text, times as
/// unix milliseconds, a partial unique index so only one live adapter holds a name.
/// </summary>
internal static class AdapterRegistrySchema
{
    public const string Component = "adapters";

    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE adapters (
            sha256 TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            base_model TEXT NOT NULL,
            description TEXT NULL,
            price_input_per_1k TEXT NOT NULL,
            price_output_per_1k TEXT NOT NULL,
            publisher TEXT NOT NULL,
            rank INTEGER NOT NULL,
            alpha REAL NOT NULL,
            targets TEXT NOT NULL,
            size_bytes INTEGER NOT NULL,
            format TEXT NOT NULL,
            created_ms BIGINT NOT NULL,
            deleted_ms BIGINT NULL);
        CREATE UNIQUE INDEX adapters_live_name ON adapters (name) WHERE deleted_ms IS NULL;
        CREATE TABLE adapter_names (name TEXT PRIMARY KEY, publisher TEXT NOT NULL);
        CREATE TABLE used_signatures (signature_id TEXT PRIMARY KEY, expires_ms BIGINT NOT NULL);
        CREATE INDEX used_signatures_expiry ON used_signatures (expires_ms);
        """,
    ];
}
