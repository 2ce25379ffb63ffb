using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Nethereum.Util;
using OpenLoRA.Attribution.Merkle;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Engine.Storage;

namespace OpenLoRA.Server.Attribution;

/// <summary>Durable traces and Merkle batches in the shared SQLite database (WAL, synchronous FULL).</summary>
internal sealed class TraceStore
{
    private const string TraceColumns = "seq, id, trace_hash, canonical, signature, signer, completion_token_ids, created_ms, batch_id";
    private const string BatchColumns = "id, root, count, first_seq, last_seq, manifest_hash, sealed_ms";
    private readonly SqliteDatabase _database;

    public TraceStore(SqliteDatabase database)
    {
        _database = database;
        _database.Migrate(AttributionSchema.Component, AttributionSchema.Migrations);
    }

    public void Insert(SignedAttributionTrace signed, byte[] canonical, IReadOnlyList<int> completionTokenIds)
    {
        using var connection = _database.Open();
        Insert(connection, null, signed, canonical, completionTokenIds);
    }

    /// <summary>Inserts the trace inside <paramref name="transaction"/> (the charge's, so trace and charge commit together).</summary>
    public static void Insert(SqliteTransaction transaction, SignedAttributionTrace signed, byte[] canonical, IReadOnlyList<int> completionTokenIds)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction has already ended.");
        Insert(connection, transaction, signed, canonical, completionTokenIds);
    }

    private static void Insert(
        SqliteConnection connection, SqliteTransaction? transaction, SignedAttributionTrace signed, byte[] canonical, IReadOnlyList<int> completionTokenIds) =>
        connection.Execute(
            transaction,
            """
            INSERT INTO attribution_traces (id, trace_hash, canonical, signature, signer, completion_token_ids, created_ms)
            VALUES (@id, @hash, @canonical, @signature, @signer, @tokens, @created)
            """,
            ("@id", signed.Trace.TraceId),
            ("@hash", signed.TraceHash),
            ("@canonical", Encoding.UTF8.GetString(canonical)),
            ("@signature", signed.Signature),
            ("@signer", signed.Signer),
            ("@tokens", JsonSerializer.Serialize(completionTokenIds.ToArray(), AttributionJsonContext.Default.Int32Array)),
            ("@created", signed.Trace.CreatedAtUnixMs));

    public StoredTrace? FindTrace(string id)
    {
        using var connection = _database.Open();
        using var command = connection.Command(null, $"SELECT {TraceColumns} FROM attribution_traces WHERE id = @id", ("@id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadTrace(reader) : null;
    }

    public StoredBatch? FindBatch(long id)
    {
        using var connection = _database.Open();
        using var command = connection.Command(null, $"SELECT {BatchColumns} FROM attribution_batches WHERE id = @id", ("@id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadBatch(reader) : null;
    }

    /// <summary>The newest <paramref name="limit"/> batches, newest first.</summary>
    public IReadOnlyList<StoredBatch> LatestBatches(int limit)
    {
        using var connection = _database.Open();
        using var command = connection.Command(null, $"SELECT {BatchColumns} FROM attribution_batches ORDER BY id DESC LIMIT @limit", ("@limit", limit));
        using var reader = command.ExecuteReader();
        var batches = new List<StoredBatch>();
        while (reader.Read())
        {
            batches.Add(ReadBatch(reader));
        }

        return batches;
    }

    /// <summary>The trace hashes of a batch, in sequence order (the Merkle tree sorts its leaves itself).</summary>
    public IReadOnlyList<string> BatchTraceHashes(long batchId)
    {
        using var connection = _database.Open();
        using var command = connection.Command(null, "SELECT trace_hash FROM attribution_traces WHERE batch_id = @batch ORDER BY seq", ("@batch", batchId));
        using var reader = command.ExecuteReader();
        var hashes = new List<string>();
        while (reader.Read())
        {
            hashes.Add(reader.GetString(0));
        }

        return hashes;
    }

    public int CountUnbatched()
    {
        using var connection = _database.Open();
        return Convert.ToInt32(connection.Scalar(null, "SELECT COUNT(*) FROM attribution_traces WHERE batch_id IS NULL"), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Seals up to <paramref name="maxTraces"/> of the oldest unbatched traces into the next batch, in one
    /// transaction: batch ids are 0, 1, 2, … with no gap (the on-chain registry requires exactly that order).
    /// Returns null when nothing is waiting.
    /// </summary>
    public StoredBatch? SealNext(int maxTraces, long nowUnixMs)
    {
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction();
        var traces = new List<(long Seq, string Hash)>();
        using (var command = connection.Command(
            transaction,
            "SELECT seq, trace_hash FROM attribution_traces WHERE batch_id IS NULL ORDER BY seq LIMIT @limit",
            ("@limit", maxTraces)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                traces.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        if (traces.Count == 0)
        {
            return null;
        }

        var id = Convert.ToInt64(connection.Scalar(transaction, "SELECT COALESCE(MAX(id) + 1, 0) FROM attribution_batches"), CultureInfo.InvariantCulture);
        var tree = MerkleTree.Build(traces.Select(t => t.Hash));
        var batch = new StoredBatch(id, tree.RootHex, traces.Count, traces[0].Seq, traces[^1].Seq, ManifestHash(traces.Select(t => t.Hash)), nowUnixMs);
        connection.Execute(
            transaction,
            $"INSERT INTO attribution_batches ({BatchColumns}) VALUES (@id, @root, @count, @first, @last, @manifest, @sealed)",
            ("@id", batch.Id),
            ("@root", batch.Root),
            ("@count", batch.Count),
            ("@first", batch.FirstSequence),
            ("@last", batch.LastSequence),
            ("@manifest", batch.ManifestHash),
            ("@sealed", batch.SealedUnixMs));
        connection.Execute(
            transaction,
            "UPDATE attribution_traces SET batch_id = @batch WHERE batch_id IS NULL AND seq BETWEEN @first AND @last",
            ("@batch", batch.Id),
            ("@first", batch.FirstSequence),
            ("@last", batch.LastSequence));
        transaction.Commit();
        return batch;
    }

    /// <summary>
    /// keccak256 of the batch's trace hashes (32 bytes each) concatenated in sequence order: commits to the order
    /// the server stored them in, which the Merkle root (sorted leaves) does not.
    /// </summary>
    public static string ManifestHash(IEnumerable<string> traceHashes)
    {
        var bytes = traceHashes.SelectMany(h => Convert.FromHexString(h.AsSpan(2))).ToArray();
        return "0x" + Convert.ToHexStringLower(Sha3Keccack.Current.CalculateHash(bytes));
    }

    private static StoredTrace ReadTrace(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5),
        JsonSerializer.Deserialize(reader.GetString(6), AttributionJsonContext.Default.Int32Array) ?? [],
        reader.GetInt64(7),
        reader.IsDBNull(8) ? null : reader.GetInt64(8));

    private static StoredBatch ReadBatch(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetInt32(2),
        reader.GetInt64(3),
        reader.GetInt64(4),
        reader.GetString(5),
        reader.GetInt64(6));
}
