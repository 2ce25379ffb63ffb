using Microsoft.Data.Sqlite;

namespace OpenLoRA.Engine.Storage;

/// <summary>
/// The one embedded database of durable state (<c>openlora.db</c> in the data directory): WAL journal,
/// synchronous FULL (a committed row survives power loss), foreign keys on. Subsystems add their tables through
/// <see cref="Migrate"/>; migrations are applied once each, in order, and recorded in <c>schema_version</c>.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
    }

    public string Path { get; }

    /// <summary>Opens a connection with the per-connection settings applied.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;");
        return connection;
    }

    /// <summary>Applies the migrations of <paramref name="component"/> whose index is above the recorded version.</summary>
    public void Migrate(string component, IReadOnlyList<string> migrations)
    {
        using var connection = Open();
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL);");
        using var transaction = connection.BeginTransaction();
        var current = Convert.ToInt32(Scalar(connection, transaction, "SELECT version FROM schema_version WHERE component = $c", ("$c", component)) ?? 0);
        for (var i = current; i < migrations.Count; i++)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = migrations[i];
            command.ExecuteNonQuery();
        }

        using (var record = connection.CreateCommand())
        {
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (component, version) VALUES ($c, $v) ON CONFLICT (component) DO UPDATE SET version = excluded.version";
            record.Parameters.AddWithValue("$c", component);
            record.Parameters.AddWithValue("$v", migrations.Count);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql, (string Name, object Value) parameter)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        return command.ExecuteScalar();
    }
}
