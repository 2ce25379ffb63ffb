using Microsoft.Data.Sqlite;

namespace OpenLoRA.Engine.Storage;

/// <summary>
/// Parameterized commands without an ORM. Parameters are named <c>@name</c> in the SQL, which both SQLite and
/// Npgsql accept, so the statements stay portable; a null value is sent as SQL NULL.
/// </summary>
public static class SqliteConnectionExtensions
{
    /// <summary>Runs a statement (or several separated by ';'); returns the rows changed by the last one.</summary>
    public static int Execute(
        this SqliteConnection connection, SqliteTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = connection.Command(transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row, or null when there is no row or the value is NULL.</summary>
    public static object? Scalar(
        this SqliteConnection connection, SqliteTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = connection.Command(transaction, sql, parameters);
        return command.ExecuteScalar() is { } value and not DBNull ? value : null;
    }

    /// <summary>A command ready to execute; the caller disposes it.</summary>
    public static SqliteCommand Command(
        this SqliteConnection connection, SqliteTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
