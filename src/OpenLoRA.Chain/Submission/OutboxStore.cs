using System.Globalization;
using System.Numerics;
using Microsoft.Data.Sqlite;

namespace OpenLoRA.Chain.Submission;

/// <summary>
/// The submitter's durable outbox in SQLite: one row per batch and one per signed transaction. A transaction is
/// written here before it is broadcast, so after a crash the same signed bytes (same nonce) are re-sent instead
/// of a second transaction being made.
/// </summary>
internal sealed class OutboxStore
{
    private readonly string _connectionString;

    public OutboxStore(string connectionString)
    {
        _connectionString = connectionString;
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS chain_outbox (
                batch_id INTEGER PRIMARY KEY,
                root BLOB NOT NULL,
                leaf_count INTEGER NOT NULL,
                manifest_hash BLOB NOT NULL,
                uri TEXT NOT NULL,
                state TEXT NOT NULL,
                committed_tx_hash TEXT NULL,
                committed_block INTEGER NULL,
                enqueued_at INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS chain_outbox_attempts (
                tx_hash TEXT PRIMARY KEY,
                batch_id INTEGER NOT NULL REFERENCES chain_outbox(batch_id),
                nonce INTEGER NOT NULL,
                raw_tx TEXT NOT NULL,
                gas_limit TEXT NOT NULL,
                max_fee_per_gas TEXT NOT NULL,
                max_priority_fee_per_gas TEXT NOT NULL,
                sent_at INTEGER NOT NULL,
                superseded INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS ix_chain_outbox_attempts_batch ON chain_outbox_attempts(batch_id);
            """, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a batch; re-enqueueing the same id with the same content is a no-op, different content throws.</summary>
    public async Task EnqueueAsync(OutboxItem item, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var existing = await GetAsync(connection, item.BatchId, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (!existing.Root.AsSpan().SequenceEqual(item.Root) || existing.Count != item.Count
                || !existing.ManifestHash.AsSpan().SequenceEqual(item.ManifestHash) || existing.Uri != item.Uri)
            {
                throw new InvalidOperationException($"Batch {item.BatchId} is already in the outbox with different content.");
            }

            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO chain_outbox (batch_id, root, leaf_count, manifest_hash, uri, state, enqueued_at)
            VALUES ($id, $root, $count, $manifest, $uri, $state, $now)
            """;
        command.Parameters.AddWithValue("$id", (long)item.BatchId);
        command.Parameters.AddWithValue("$root", item.Root);
        command.Parameters.AddWithValue("$count", (long)item.Count);
        command.Parameters.AddWithValue("$manifest", item.ManifestHash);
        command.Parameters.AddWithValue("$uri", item.Uri);
        command.Parameters.AddWithValue("$state", OutboxState.Pending.ToString());
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<OutboxItem?> GetAsync(ulong batchId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetAsync(connection, batchId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Items not yet final (Pending or Sent) below <paramref name="belowBatchId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<OutboxItem>> GetUnfinishedBelowAsync(ulong belowBatchId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {ItemColumns} FROM chain_outbox
            WHERE batch_id < $below AND state IN ('Pending', 'Sent') ORDER BY batch_id
            """;
        command.Parameters.AddWithValue("$below", (long)belowBatchId);
        return await ReadItemsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The highest batch id held as committed, or null when none is.</summary>
    public async Task<ulong?> HighestCommittedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(batch_id) FROM chain_outbox WHERE state = 'Committed'";
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id ? (ulong)id : null;
    }

    /// <summary>The lowest batch id in conflict with the chain, or null when none is.</summary>
    public async Task<ulong?> FirstConflictAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(batch_id) FROM chain_outbox WHERE state = 'Conflict'";
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id ? (ulong)id : null;
    }

    /// <summary>
    /// Puts every batch from <paramref name="fromBatchId"/> on that is committed or in conflict (and, with
    /// <paramref name="includeSent"/>, sent) back to pending, forgetting its commit and retiring its transactions, in
    /// one SQLite transaction: the chain no longer holds them. Returns how many changed.
    /// </summary>
    public async Task<int> ReopenFromAsync(ulong fromBatchId, bool includeSent, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var states = includeSent ? "('Committed', 'Conflict', 'Sent')" : "('Committed', 'Conflict')";
        await using (var attempts = connection.CreateCommand())
        {
            attempts.Transaction = transaction;
            attempts.CommandText =
                "UPDATE chain_outbox_attempts SET superseded = 1 WHERE superseded = 0 AND batch_id IN " +
                $"(SELECT batch_id FROM chain_outbox WHERE batch_id >= $from AND state IN {states})";
            attempts.Parameters.AddWithValue("$from", (long)fromBatchId);
            await attempts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int changed;
        await using (var items = connection.CreateCommand())
        {
            items.Transaction = transaction;
            items.CommandText =
                "UPDATE chain_outbox SET state = 'Pending', committed_tx_hash = NULL, committed_block = NULL " +
                $"WHERE batch_id >= $from AND state IN {states}";
            items.Parameters.AddWithValue("$from", (long)fromBatchId);
            changed = await items.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    /// <summary>The id the next enqueued batch must have: one past the highest in the outbox, 0 when it is empty.</summary>
    public async Task<ulong> NextBatchIdAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(batch_id) + 1, 0) FROM chain_outbox";
        return (ulong)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<long> CountUnfinishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM chain_outbox WHERE state IN ('Pending', 'Sent')";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task MarkFinalAsync(ulong batchId, OutboxState state, string? transactionHash, ulong? block, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE chain_outbox SET state = $state, committed_tx_hash = $hash, committed_block = $block WHERE batch_id = $id
            """;
        command.Parameters.AddWithValue("$state", state.ToString());
        command.Parameters.AddWithValue("$hash", (object?)transactionHash ?? DBNull.Value);
        command.Parameters.AddWithValue("$block", block is { } b ? (long)b : DBNull.Value);
        command.Parameters.AddWithValue("$id", (long)batchId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a signed transaction and moves the item to Sent in one SQLite transaction, before broadcast. The
    /// same bytes signed again (same nonce and fees: the chain went back to before the first) revive the retired row.</summary>
    public async Task AddAttemptAsync(OutboxAttempt attempt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO chain_outbox_attempts (tx_hash, batch_id, nonce, raw_tx, gas_limit, max_fee_per_gas, max_priority_fee_per_gas, sent_at)
                VALUES ($hash, $id, $nonce, $raw, $gas, $maxFee, $priorityFee, $sentAt)
                ON CONFLICT (tx_hash) DO UPDATE SET superseded = 0, sent_at = excluded.sent_at
                """;
            insert.Parameters.AddWithValue("$hash", attempt.TransactionHash);
            insert.Parameters.AddWithValue("$id", (long)attempt.BatchId);
            insert.Parameters.AddWithValue("$nonce", (long)attempt.Nonce);
            insert.Parameters.AddWithValue("$raw", attempt.RawTransaction);
            insert.Parameters.AddWithValue("$gas", attempt.GasLimit.ToString(CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$maxFee", attempt.MaxFeePerGas.ToString(CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$priorityFee", attempt.MaxPriorityFeePerGas.ToString(CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$sentAt", attempt.SentAt.ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = "UPDATE chain_outbox SET state = 'Sent' WHERE batch_id = $id";
            update.Parameters.AddWithValue("$id", (long)attempt.BatchId);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The live attempts of a batch (all share one nonce), newest last.</summary>
    public async Task<IReadOnlyList<OutboxAttempt>> GetAttemptsAsync(ulong batchId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT batch_id, nonce, tx_hash, raw_tx, gas_limit, max_fee_per_gas, max_priority_fee_per_gas, sent_at
            FROM chain_outbox_attempts WHERE batch_id = $id AND superseded = 0 ORDER BY sent_at, rowid
            """;
        command.Parameters.AddWithValue("$id", (long)batchId);
        var attempts = new List<OutboxAttempt>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            attempts.Add(new OutboxAttempt(
                (ulong)reader.GetInt64(0),
                (ulong)reader.GetInt64(1),
                reader.GetString(2),
                reader.GetString(3),
                BigInteger.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
                BigInteger.Parse(reader.GetString(5), CultureInfo.InvariantCulture),
                BigInteger.Parse(reader.GetString(6), CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }

        return attempts;
    }

    /// <summary>
    /// Retires a batch's attempts after their nonce was consumed without committing the batch, and puts the item
    /// back to Pending so it is signed again with a fresh nonce.
    /// </summary>
    public async Task ResetToPendingAsync(ulong batchId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"""
            UPDATE chain_outbox_attempts SET superseded = 1 WHERE batch_id = {batchId.ToString(CultureInfo.InvariantCulture)};
            UPDATE chain_outbox SET state = 'Pending' WHERE batch_id = {batchId.ToString(CultureInfo.InvariantCulture)};
            """, cancellationToken).ConfigureAwait(false);
    }

    private const string ItemColumns = "batch_id, root, leaf_count, manifest_hash, uri, state, committed_tx_hash, committed_block";

    private static async Task<OutboxItem?> GetAsync(SqliteConnection connection, ulong batchId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ItemColumns} FROM chain_outbox WHERE batch_id = $id";
        command.Parameters.AddWithValue("$id", (long)batchId);
        return (await ReadItemsAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    private static async Task<IReadOnlyList<OutboxItem>> ReadItemsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var items = new List<OutboxItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new OutboxItem(
                (ulong)reader.GetInt64(0),
                (byte[])reader[1],
                (uint)reader.GetInt64(2),
                (byte[])reader[3],
                reader.GetString(4),
                Enum.Parse<OutboxState>(reader.GetString(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : (ulong)reader.GetInt64(7)));
        }

        return items;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
