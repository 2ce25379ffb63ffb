using Microsoft.Data.Sqlite;
using OpenLoRA.Engine.Adapters.Registry;
using OpenLoRA.Engine.Storage;

namespace OpenLoRA.Engine.Tests.Adapters.Registry;

/// <summary>The constraints the schema itself enforces, whatever the code above it does.</summary>
public sealed class AdapterRegistrySchemaTests : IDisposable
{
    private const string Insert =
        """
        INSERT INTO adapters (sha256, name, base_model, description, price_input_per_1k, price_output_per_1k, publisher,
                              rank, alpha, targets, size_bytes, format, created_ms, deleted_ms)
        VALUES (@sha256, @name, 'tiny-llama', NULL, '0.01', '0.02', '0xa1', 4, 8.0, '[]', 100, 'gguf', 1, @deleted)
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("openlora-registry-").FullName;
    private readonly SqliteDatabase _database;

    public AdapterRegistrySchemaTests()
    {
        _database = SqliteDatabase.InDataDirectory(_root);
        new AdapterRegistry(_database).Migrate();
    }

    [Fact]
    public void Adapters_TwoLiveRowsWithOneName_AreRefused()
    {
        using var connection = _database.Open();
        connection.Execute(null, Insert, ("@sha256", "a"), ("@name", "n"), ("@deleted", null));

        var error = Assert.Throws<SqliteException>(() => connection.Execute(null, Insert, ("@sha256", "b"), ("@name", "n"), ("@deleted", null)));

        Assert.Equal(19, error.SqliteErrorCode);
    }

    [Fact]
    public void Adapters_DeletedRowsWithTheLiveName_AreKept()
    {
        using var connection = _database.Open();

        connection.Execute(null, Insert, ("@sha256", "a"), ("@name", "n"), ("@deleted", 5L));
        connection.Execute(null, Insert, ("@sha256", "b"), ("@name", "n"), ("@deleted", 6L));
        connection.Execute(null, Insert, ("@sha256", "c"), ("@name", "n"), ("@deleted", null));

        Assert.Equal(3L, connection.Scalar(null, "SELECT COUNT(*) FROM adapters WHERE name = 'n'"));
    }

    [Fact]
    public void Migrate_Again_ChangesNothing()
    {
        new AdapterRegistry(_database).Migrate();

        using var connection = _database.Open();
        Assert.Equal(1L, connection.Scalar(null, "SELECT version FROM schema_version WHERE component = 'adapters'"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
