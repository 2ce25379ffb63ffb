using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Storage;

namespace OpenLoRA.Engine.Adapters.Registry;

/// <summary>
/// The durable record of published adapters, name ownership and used signatures. Each publish or delete is one
/// transaction that also consumes its signature, so a replayed signature can never change anything.
/// </summary>
internal sealed class AdapterRegistry
{
    private readonly SqliteDatabase _database;

    public AdapterRegistry(SqliteDatabase database)
    {
        _database = database;
        database.Migrate(AdapterRegistrySchema.Component, AdapterRegistrySchema.Migrations);
    }

    /// <summary>Live adapters; <paramref name="pathOf"/> maps a hash to its store file.</summary>
    public List<AdapterInfo> LoadLive(Func<string, string> pathOf)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sha256, name, base_model, description, price_input_per_1k, price_output_per_1k, publisher, rank, alpha, targets, size_bytes, format, created_ms FROM adapters WHERE deleted_ms IS NULL ORDER BY created_ms, sha256";
        using var reader = command.ExecuteReader();
        var adapters = new List<AdapterInfo>();
        while (reader.Read())
        {
            var sha = reader.GetString(0);
            adapters.Add(new AdapterInfo(
                reader.GetString(1), sha, reader.GetString(2), pathOf(sha), reader.GetInt32(7), reader.GetFloat(8),
                JsonSerializer.Deserialize<string[]>(reader.GetString(9)) ?? [], reader.GetInt64(10),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)))
            {
                Description = reader.IsDBNull(3) ? null : reader.GetString(3),
                PriceInputPer1K = decimal.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
                PriceOutputPer1K = decimal.Parse(reader.GetString(5), CultureInfo.InvariantCulture),
                Publisher = reader.GetString(6),
                Source = "upload",
                Format = reader.GetString(11),
            });
        }

        return adapters;
    }

    /// <summary>The publisher that owns <paramref name="name"/>, or null when nobody has registered it yet.</summary>
    public string? NameOwner(string name)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT publisher FROM adapter_names WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() as string;
    }

    /// <summary>Records a publish: consumes the signature, claims the name, retires the name's previous version.</summary>
    public void CommitPublish(AdapterInfo adapter, string signatureId, long signatureExpiresMs, long nowMs)
    {
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction();
        ConsumeSignature(connection, transaction, signatureId, signatureExpiresMs, nowMs);
        var owner = Scalar(connection, transaction, "SELECT publisher FROM adapter_names WHERE name = $name", ("$name", adapter.Name)) as string;
        if (owner is null)
        {
            Execute(connection, transaction, "INSERT INTO adapter_names (name, publisher) VALUES ($name, $publisher)", ("$name", adapter.Name), ("$publisher", adapter.Publisher!));
        }
        else if (owner != adapter.Publisher)
        {
            throw new AdapterPublishException(AdapterPublishError.Forbidden, $"The name '{adapter.Name}' belongs to another publisher.", "name");
        }

        var liveName = Scalar(connection, transaction, "SELECT name FROM adapters WHERE sha256 = $sha AND deleted_ms IS NULL", ("$sha", adapter.Sha256)) as string;
        if (liveName is not null && liveName != adapter.Name)
        {
            throw new AdapterPublishException(AdapterPublishError.Conflict, $"This adapter is already registered as '{liveName}'.", "file");
        }

        Execute(connection, transaction, "UPDATE adapters SET deleted_ms = $now WHERE name = $name AND deleted_ms IS NULL AND sha256 <> $sha",
            ("$now", nowMs), ("$name", adapter.Name), ("$sha", adapter.Sha256));
        Execute(
            connection,
            transaction,
            """
            INSERT INTO adapters (sha256, name, base_model, description, price_input_per_1k, price_output_per_1k, publisher, rank, alpha, targets, size_bytes, format, created_ms, deleted_ms)
            VALUES ($sha, $name, $base, $description, $in, $out, $publisher, $rank, $alpha, $targets, $size, $format, $created, NULL)
            ON CONFLICT (sha256) DO UPDATE SET name = excluded.name, base_model = excluded.base_model, description = excluded.description,
                price_input_per_1k = excluded.price_input_per_1k, price_output_per_1k = excluded.price_output_per_1k,
                publisher = excluded.publisher, created_ms = excluded.created_ms, deleted_ms = NULL
            """,
            ("$sha", adapter.Sha256), ("$name", adapter.Name), ("$base", adapter.BaseModel), ("$description", (object?)adapter.Description ?? DBNull.Value),
            ("$in", adapter.PriceInputPer1K.ToString(CultureInfo.InvariantCulture)), ("$out", adapter.PriceOutputPer1K.ToString(CultureInfo.InvariantCulture)),
            ("$publisher", adapter.Publisher!), ("$rank", adapter.Rank), ("$alpha", adapter.Alpha), ("$targets", JsonSerializer.Serialize(adapter.Targets)),
            ("$size", adapter.SizeBytes), ("$format", adapter.Format), ("$created", adapter.Created.ToUnixTimeMilliseconds()));
        transaction.Commit();
    }

    /// <summary>Marks a live adapter deleted and consumes the signature; false when it is not live.</summary>
    public bool CommitDelete(string sha256, string signatureId, long signatureExpiresMs, long nowMs)
    {
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction();
        ConsumeSignature(connection, transaction, signatureId, signatureExpiresMs, nowMs);
        var changed = Execute(connection, transaction, "UPDATE adapters SET deleted_ms = $now WHERE sha256 = $sha AND deleted_ms IS NULL", ("$now", nowMs), ("$sha", sha256));
        transaction.Commit();
        return changed == 1;
    }

    private static void ConsumeSignature(SqliteConnection connection, SqliteTransaction transaction, string signatureId, long expiresMs, long nowMs)
    {
        Execute(connection, transaction, "DELETE FROM used_signatures WHERE expires_ms < $now", ("$now", nowMs));
        try
        {
            Execute(connection, transaction, "INSERT INTO used_signatures (signature_id, expires_ms) VALUES ($id, $expires)", ("$id", signatureId), ("$expires", expiresMs));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new AdapterPublishException(AdapterPublishError.Replayed, "This signature was already used.", "signature");
        }
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
