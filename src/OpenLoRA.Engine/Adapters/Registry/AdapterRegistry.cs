using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Storage;

namespace OpenLoRA.Engine.Adapters.Registry;

/// <summary>
/// The durable record of uploaded adapters (one row per content hash, kept after deletion), of who owns each name
/// (the first publisher to register it, forever) and of spent signatures. Each publish or delete is one transaction
/// that also spends its signature, so a replay can never change anything twice. Callers serialize writes.
/// </summary>
internal sealed class AdapterRegistry(SqliteDatabase database)
{
    public void Migrate() => database.Migrate(AdapterRegistrySchema.Component, AdapterRegistrySchema.Migrations);

    /// <summary>
    /// Every live adapter, oldest first; <paramref name="pathOf"/> maps a hash to its store file. A row that cannot be
    /// read is left out and handed to <paramref name="unreadable"/> (name, sha256, why) instead of failing the start.
    /// </summary>
    public List<AdapterInfo> LoadLive(Func<string, string> pathOf, Action<string, string, string> unreadable)
    {
        using var connection = database.Open();
        using var command = connection.Command(null, $"SELECT {AdapterRows.Columns} FROM adapters WHERE deleted_ms IS NULL ORDER BY created_ms, sha256");
        using var reader = command.ExecuteReader();
        var adapters = new List<AdapterInfo>();
        while (reader.Read())
        {
            if (AdapterRows.TryRead(reader, pathOf, out var problem) is { } adapter)
            {
                adapters.Add(adapter);
            }
            else
            {
                var (name, sha256) = AdapterRows.Key(reader);
                unreadable(name, sha256, problem!);
            }
        }

        return adapters;
    }

    /// <summary>
    /// The live adapter with this hash or, failing that, this name; null when there is none or its row cannot be read
    /// (such a row was never served; a new upload under its name retires it).
    /// </summary>
    public AdapterInfo? FindLive(string idOrName, Func<string, string> pathOf)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            null,
            $"""
            SELECT {AdapterRows.Columns} FROM adapters
            WHERE deleted_ms IS NULL AND (sha256 = @sha256 OR name = @name)
            ORDER BY CASE WHEN sha256 = @sha256 THEN 0 ELSE 1 END
            LIMIT 1
            """,
            ("@sha256", idOrName.ToLowerInvariant()),
            ("@name", idOrName));
        using var reader = command.ExecuteReader();
        return reader.Read() ? AdapterRows.TryRead(reader, pathOf, out _) : null;
    }

    /// <summary>The publisher that owns <paramref name="name"/>, or null when nobody has registered it yet.</summary>
    public string? NameOwner(string name)
    {
        using var connection = database.Open();
        return connection.Scalar(null, "SELECT publisher FROM adapter_names WHERE name = @name", ("@name", name)) as string;
    }

    /// <summary>
    /// Records a publish in one transaction: spends the signature, claims or checks the name, refuses content that
    /// is live under another name, retires the name's previous version and makes this one live (a row for the same
    /// hash, e.g. a deleted one, is revived with the new metadata). Returns the hash of the retired version, if any.
    /// </summary>
    /// <exception cref="AdapterPublishException">Replayed, Forbidden or Conflict; nothing is changed then.</exception>
    public string? CommitPublish(AdapterInfo adapter, UsedSignature signature, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        UsedSignatures.Spend(connection, transaction, signature, now);
        var owner = connection.Scalar(transaction, "SELECT publisher FROM adapter_names WHERE name = @name", ("@name", adapter.Name)) as string;
        if (owner is null)
        {
            connection.Execute(
                transaction, "INSERT INTO adapter_names (name, publisher) VALUES (@name, @publisher)", ("@name", adapter.Name), ("@publisher", adapter.Publisher));
        }
        else if (!Publishers.Same(owner, adapter.Publisher))
        {
            throw AdapterPublishException.Forbidden($"The name '{adapter.Name}' belongs to another publisher.", "name");
        }

        var liveName = connection.Scalar(
            transaction, "SELECT name FROM adapters WHERE sha256 = @sha256 AND deleted_ms IS NULL", ("@sha256", adapter.Sha256)) as string;
        if (liveName is not null && liveName != adapter.Name)
        {
            throw AdapterPublishException.Conflict($"This adapter is already published as '{liveName}'.", "file");
        }

        var retired = connection.Scalar(
            transaction,
            "SELECT sha256 FROM adapters WHERE name = @name AND deleted_ms IS NULL AND sha256 <> @sha256",
            ("@name", adapter.Name),
            ("@sha256", adapter.Sha256)) as string;
        if (retired is not null)
        {
            connection.Execute(transaction, "UPDATE adapters SET deleted_ms = @now WHERE sha256 = @sha256", ("@now", now.ToUnixTimeMilliseconds()), ("@sha256", retired));
        }

        connection.Execute(transaction, AdapterRegistrySql.Upsert, AdapterRows.Parameters(adapter));
        transaction.Commit();
        return retired;
    }

    /// <summary>Spends the signature and marks the adapter deleted; false (and nothing spent) when it is not live.</summary>
    /// <exception cref="AdapterPublishException">Replayed.</exception>
    public bool CommitDelete(string sha256, UsedSignature signature, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        UsedSignatures.Spend(connection, transaction, signature, now);
        var changed = connection.Execute(
            transaction,
            "UPDATE adapters SET deleted_ms = @now WHERE sha256 = @sha256 AND deleted_ms IS NULL",
            ("@now", now.ToUnixTimeMilliseconds()),
            ("@sha256", sha256));
        if (changed == 0)
        {
            return false;
        }

        transaction.Commit();
        return true;
    }
}
