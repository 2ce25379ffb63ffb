using System.Collections.Concurrent;
using OpenLoRA.Attribution.Datanets;
using OpenLoRA.Engine.Adapters.Registry;
using OpenLoRA.Engine.Storage;

namespace OpenLoRA.Server.Attribution;

/// <summary>
/// Datanets on disk and in the database. Content-addressed: the JSONL as <c>datanets/&lt;sha256&gt;.jsonl</c>, its
/// index as <c>datanets/index/&lt;root&gt;.idx</c> (the root covers the tokens, so one file per tokenization), and
/// one row per adapter naming both. Open indexes are memory-mapped once and kept: they are immutable, and a
/// re-upload gets a new root and a new file, so a query in flight never sees its index change or close.
/// </summary>
internal sealed class DatanetStore : IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly ConcurrentDictionary<string, Lazy<DatanetIndex>> _open = new(StringComparer.Ordinal);

    // Adapter sha256 → index root (null: no Datanet). Every traced response asks; the database is read once per
    // adapter, and Save keeps the entry current (this process is the only writer of the table).
    private readonly ConcurrentDictionary<string, string?> _roots = new(StringComparer.Ordinal);

    public DatanetStore(SqliteDatabase database)
    {
        _database = database;
        _database.Migrate(AttributionSchema.Component, AttributionSchema.Migrations);
        Directory = Path.Combine(Path.GetDirectoryName(database.Path)!, "datanets");
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "index"));
    }

    public string Directory { get; }

    public string JsonlPath(string datanetSha256) => Path.Combine(Directory, datanetSha256 + ".jsonl");

    public string IndexPath(string root) => Path.Combine(Directory, "index", root[2..] + ".idx");

    public DatanetRow? Find(string adapterSha256)
    {
        using var connection = _database.Open();
        using var command = connection.Command(
            null,
            "SELECT adapter_sha256, datanet_sha256, index_root, records, tokens, contributors, publisher, created_ms FROM attribution_datanets WHERE adapter_sha256 = @sha",
            ("@sha", adapterSha256));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new DatanetRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt64(4), reader.GetInt32(5), reader.GetString(6), reader.GetInt64(7))
            : null;
    }

    /// <summary>
    /// Attaches (or replaces) an adapter's Datanet, spending the publisher's signature in the same transaction, so a
    /// replayed upload can never put an older Datanet back. Its files must already be in place.
    /// </summary>
    /// <returns>False, changing nothing, when the signature was used before.</returns>
    public bool Save(DatanetRow row, UsedSignature signature, DateTimeOffset now)
    {
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction();
        if (!UsedSignatures.TrySpend(connection, transaction, signature, now))
        {
            return false;
        }

        connection.Execute(
            transaction,
            """
            INSERT INTO attribution_datanets (adapter_sha256, datanet_sha256, index_root, records, tokens, contributors, publisher, created_ms)
            VALUES (@adapter, @datanet, @root, @records, @tokens, @contributors, @publisher, @created)
            ON CONFLICT (adapter_sha256) DO UPDATE SET datanet_sha256 = excluded.datanet_sha256, index_root = excluded.index_root,
                records = excluded.records, tokens = excluded.tokens, contributors = excluded.contributors,
                publisher = excluded.publisher, created_ms = excluded.created_ms
            """,
            ("@adapter", row.AdapterSha256),
            ("@datanet", row.DatanetSha256),
            ("@root", row.IndexRoot),
            ("@records", row.Records),
            ("@tokens", row.Tokens),
            ("@contributors", row.Contributors),
            ("@publisher", row.Publisher),
            ("@created", row.CreatedUnixMs));
        transaction.Commit();
        _roots[row.AdapterSha256] = row.IndexRoot;
        return true;
    }

    /// <summary>The adapter's Datanet index, or null when it has none.</summary>
    public DatanetIndex? OpenIndex(string adapterSha256)
    {
        if (_roots.GetOrAdd(adapterSha256, sha => Find(sha)?.IndexRoot) is not { } indexRoot)
        {
            return null;
        }

        var lazy = _open.GetOrAdd(indexRoot, root => new Lazy<DatanetIndex>(() => DatanetIndex.Open(IndexPath(root))));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _open.TryRemove(indexRoot, out _);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var lazy in _open.Values.Where(l => l.IsValueCreated))
        {
            lazy.Value.Dispose();
        }

        _open.Clear();
    }
}
