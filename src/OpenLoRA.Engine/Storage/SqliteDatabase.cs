using Microsoft.Data.Sqlite;

namespace OpenLoRA.Engine.Storage;

/// <summary>
/// The one embedded database of durable state (<see cref="FileName"/> in the data directory), shared by every
/// subsystem: open a short-lived connection per unit of work (connections are pooled) and add tables through
/// <see cref="Migrate"/>. Every connection runs in WAL mode (readers never block the one writer), with
/// synchronous FULL (a committed transaction survives power loss, not only a process crash), foreign keys on, and
/// a busy timeout so a second writer waits for the lock instead of failing.
/// </summary>
public sealed class SqliteDatabase
{
    public const string FileName = "openlora.db";

    // Writers hold the lock for one short transaction plus its fsync (milliseconds); the timeout only bounds a stuck one.
    private const int BusyTimeoutSeconds = 30;

    private const string ConnectionPragmas =
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";

    private readonly string _connectionString;
    private volatile bool _created;

    /// <param name="path">The database file; its folder is created on first use.</param>
    public SqliteDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>The database of a data directory: <c>&lt;dataDirectory&gt;/openlora.db</c>.</summary>
    public static SqliteDatabase InDataDirectory(string dataDirectory) => new(System.IO.Path.Combine(dataDirectory, FileName));

    /// <summary>Opens a pooled connection with the per-connection settings applied; dispose it when the unit of work ends.</summary>
    public SqliteConnection Open()
    {
        EnsureCreated();
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            connection.Execute(null, ConnectionPragmas);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Applies the <paramref name="migrations"/> of <paramref name="component"/> (e.g. "adapters", "billing") that
    /// the database has not seen yet, in order, in one transaction, and records the new version in
    /// <c>schema_version</c>. Migration i (0-based) brings the component to version i + 1; never edit or reorder a
    /// shipped migration, append a new one. Safe to call on every start and from several processes at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer build (more migrations than given).</exception>
    public void Migrate(string component, IReadOnlyList<string> migrations)
    {
        ArgumentException.ThrowIfNullOrEmpty(component);
        ArgumentNullException.ThrowIfNull(migrations);
        using var connection = Open();
        SchemaMigrator.Apply(connection, component, migrations);
    }

    private void EnsureCreated()
    {
        if (_created)
        {
            return;
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();

        // The journal mode is stored in the file, so once per process is enough; every later connection inherits it.
        var mode = connection.Scalar(null, "PRAGMA journal_mode = WAL;") as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite refused WAL mode for {Path} (journal_mode is '{mode}').");
        }

        _created = true;
    }
}
