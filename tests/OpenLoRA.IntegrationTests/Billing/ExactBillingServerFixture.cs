using Microsoft.Data.Sqlite;

namespace OpenLoRA.IntegrationTests.Billing;

/// <summary>
/// A billing server of its own for the exactness tests: one sequence slot, so a request can be held in the queue
/// behind another one, and a database the tests inject write failures into (SQLite triggers that RAISE).
/// </summary>
public sealed class ExactBillingServerFixture : BillingServerFixture
{
    public const int ContextSize = 4096;

    public string DatabasePath => Path.Combine(DataDirectory, "openlora.db");

    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        .. base.ConfigurationOverrides,
        new("OpenLoRA:Engine:BaseModels:0:MaxSequences", "1"),
        new("OpenLoRA:Engine:BaseModels:0:ContextSize", ContextSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    /// <summary>
    /// Makes every insert into <paramref name="table"/> fail, as a full or failing disk would, until the returned
    /// handle is disposed (which drops the trigger again).
    /// </summary>
    public IDisposable FailInsertsInto(string table)
    {
        var trigger = "test_fail_" + table;
        Execute($"CREATE TRIGGER {trigger} BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'injected write failure: database or disk is full'); END");
        return new Trigger(this, trigger);
    }

    /// <summary>A scalar from the server's database, read while it runs.</summary>
    public object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, parameter) in parameters)
        {
            command.Parameters.AddWithValue(name, parameter);
        }

        return command.ExecuteScalar() is { } value and not DBNull ? value : null;
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        return connection;
    }

    private sealed class Trigger(ExactBillingServerFixture server, string name) : IDisposable
    {
        public void Dispose() => server.Execute($"DROP TRIGGER IF EXISTS {name}");
    }
}
