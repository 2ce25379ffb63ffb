using Microsoft.Data.Sqlite;

namespace OpenLoRA.Billing.Storage;

/// <summary>
/// Where billing keeps its tables: the server's one shared database. The server passes in how it opens a
/// connection (<see cref="BillingDatabase(Func{SqliteConnection})"/>: an open connection with WAL, synchronous FULL
/// and a busy timeout already applied), or billing opens one itself from a connection string
/// (<see cref="FromConnectionString"/>). Each unit of work opens its own short-lived connection (pooled), so calls
/// from many threads never share one. The billing schema is created or migrated on first use (idempotent).
/// </summary>
public sealed class BillingDatabase
{
    // Writers hold the lock for one short transaction plus its fsync; the timeout only bounds a stuck writer.
    private const string ConnectionPragmas = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;";

    private readonly Func<SqliteConnection> _open;
    private readonly Lock _schemaLock = new();
    private volatile bool _schemaReady;

    /// <param name="open">Returns a new, open connection to the shared database; billing disposes it.</param>
    public BillingDatabase(Func<SqliteConnection> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        _open = open;
    }

    /// <summary>A database billing opens itself: WAL mode (set once; it is stored in the file), synchronous FULL
    /// (a committed charge survives power loss) and a 30 s busy timeout on every connection.</summary>
    public static BillingDatabase FromConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var walSet = 0;
        return new BillingDatabase(() =>
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                if (Interlocked.Exchange(ref walSet, 1) == 0)
                {
                    using SqliteCommand wal = connection.Command(null, "PRAGMA journal_mode = WAL;");
                    wal.ExecuteNonQuery();
                }

                using SqliteCommand pragmas = connection.Command(null, ConnectionPragmas);
                pragmas.ExecuteNonQuery();
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        });
    }

    /// <summary>Creates or migrates the billing tables; cheap after the first call. Called on start and before
    /// the first unit of work, so a caller can never reach a table that does not exist yet.</summary>
    public void EnsureSchema()
    {
        if (_schemaReady)
        {
            return;
        }

        lock (_schemaLock)
        {
            if (_schemaReady)
            {
                return;
            }

            using SqliteConnection connection = _open();
            BillingSchema.Apply(connection);
            _schemaReady = true;
        }
    }

    internal SqliteConnection Open()
    {
        EnsureSchema();
        return _open();
    }
}
