using Microsoft.Data.Sqlite;
using OpenLoRA.Engine.Storage;

namespace OpenLoRA.Engine.Tests.Storage;

/// <summary>The shared database on real files in a temp folder.</summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private static readonly string[] Notes =
    [
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
        "INSERT INTO notes (id, body) VALUES (1, 'seeded by migration 2')",
    ];

    private readonly string _root = Directory.CreateTempSubdirectory("openlora-db-").FullName;

    private string DataDirectory => Path.Combine(_root, "nested", "data");

    [Fact]
    public void Open_NewDataDirectory_CreatesTheFileWithWalFullSyncForeignKeysAndBusyTimeout()
    {
        var database = SqliteDatabase.InDataDirectory(DataDirectory);

        using var connection = database.Open();

        Assert.Equal(Path.Combine(DataDirectory, "openlora.db"), database.Path);
        Assert.True(File.Exists(database.Path));
        Assert.Equal("wal", Pragma(connection, "journal_mode"));
        Assert.Equal(2L, Pragma(connection, "synchronous"));
        Assert.Equal(1L, Pragma(connection, "foreign_keys"));
        Assert.Equal(30000L, Pragma(connection, "busy_timeout"));
    }

    [Fact]
    public void Migrate_CalledOnEveryStart_AppliesEachMigrationOnce()
    {
        for (var start = 0; start < 3; start++)
        {
            SqliteDatabase.InDataDirectory(DataDirectory).Migrate("notes", Notes);
        }

        Assert.Equal(1L, Count("notes"));
        Assert.Equal(2L, Version("notes"));
    }

    [Fact]
    public void Migrate_AppendedMigration_AppliesOnlyTheNewOneInOrder()
    {
        var database = SqliteDatabase.InDataDirectory(DataDirectory);
        database.Migrate("notes", Notes[..1]);
        Assert.Equal(0L, Count("notes"));

        database.Migrate("notes", [.. Notes, "INSERT INTO notes (id, body) SELECT id + 1, body FROM notes"]);

        Assert.Equal(2L, Count("notes"));
        Assert.Equal(3L, Version("notes"));
    }

    [Fact]
    public void Migrate_TwoComponents_KeepTheirOwnVersions()
    {
        var database = SqliteDatabase.InDataDirectory(DataDirectory);

        database.Migrate("notes", Notes);
        database.Migrate("other", ["CREATE TABLE other (id INTEGER PRIMARY KEY)"]);

        Assert.Equal((2L, 1L), (Version("notes"), Version("other")));
    }

    [Fact]
    public void Migrate_FailingMigration_RollsBackTheWholeBatch()
    {
        var database = SqliteDatabase.InDataDirectory(DataDirectory);

        Assert.ThrowsAny<SqliteException>(() => database.Migrate("notes", [Notes[0], "INSERT INTO missing_table VALUES (1)"]));

        using var connection = database.Open();
        Assert.Null(connection.Scalar(null, "SELECT name FROM sqlite_master WHERE name IN ('notes', 'schema_version')"));
    }

    [Fact]
    public void Migrate_DatabaseOfANewerBuild_Throws()
    {
        SqliteDatabase.InDataDirectory(DataDirectory).Migrate("notes", Notes);

        var error = Assert.Throws<InvalidOperationException>(() => SqliteDatabase.InDataDirectory(DataDirectory).Migrate("notes", Notes[..1]));

        Assert.Contains("newer build", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_SeveralInstancesAtOnce_AppliesEachMigrationOnce()
    {
        // Separate instances stand in for separate processes starting on one data directory.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SqliteDatabase.InDataDirectory(DataDirectory).Migrate("notes", Notes))));

        Assert.Equal(1L, Count("notes"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static object? Pragma(SqliteConnection connection, string name) => connection.Scalar(null, $"PRAGMA {name}");

    private long Count(string table)
    {
        using var connection = SqliteDatabase.InDataDirectory(DataDirectory).Open();
        return (long)connection.Scalar(null, $"SELECT COUNT(*) FROM {table}")!;
    }

    private long Version(string component)
    {
        using var connection = SqliteDatabase.InDataDirectory(DataDirectory).Open();
        return (long)connection.Scalar(null, "SELECT version FROM schema_version WHERE component = @c", ("@c", component))!;
    }
}
