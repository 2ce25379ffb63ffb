using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OpenLoRA.Engine.Storage;

/// <summary>
/// Applies a component's pending migrations. <c>schema_version</c> holds one row per component (its number of
/// applied migrations), so subsystems evolve their tables independently. Plain SQL that PostgreSQL runs as well.
/// </summary>
internal static class SchemaMigrator
{
    private const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)";

    public static void Apply(SqliteConnection connection, string component, IReadOnlyList<string> migrations)
    {
        // BeginTransaction is BEGIN IMMEDIATE: two processes starting together queue on the write lock here, and the
        // second one then sees the first one's version instead of applying the same migrations again.
        using var transaction = connection.BeginTransaction();
        connection.Execute(transaction, CreateVersionTable);
        var current = Convert.ToInt32(
            connection.Scalar(transaction, "SELECT version FROM schema_version WHERE component = @component", ("@component", component)) ?? 0L,
            CultureInfo.InvariantCulture);
        if (current > migrations.Count)
        {
            throw new InvalidOperationException(
                $"The database has {component} schema version {current} but this build knows only {migrations.Count}; it was written by a newer build.");
        }

        for (var i = current; i < migrations.Count; i++)
        {
            connection.Execute(transaction, migrations[i]);
        }

        if (current < migrations.Count)
        {
            connection.Execute(
                transaction,
                "INSERT INTO schema_version (component, version) VALUES (@component, @version) ON CONFLICT (component) DO UPDATE SET version = excluded.version",
                ("@component", component),
                ("@version", migrations.Count));
        }

        transaction.Commit();
    }
}
