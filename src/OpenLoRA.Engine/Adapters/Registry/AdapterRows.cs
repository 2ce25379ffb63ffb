using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Engine.Adapters.Registry;

/// <summary>Maps <c>adapters</c> rows to and from <see cref="AdapterInfo"/>; prices travel as exact decimal text.</summary>
internal static class AdapterRows
{
    public const string Columns =
        "sha256, name, base_model, description, price_input_per_1k, price_output_per_1k, publisher, rank, alpha, targets, size_bytes, format, created_ms";

    /// <summary>Reads a row selected with <see cref="Columns"/>; <paramref name="pathOf"/> maps a hash to its store file.</summary>
    public static AdapterInfo Read(SqliteDataReader reader, Func<string, string> pathOf)
    {
        var sha256 = reader.GetString(0);
        return new AdapterInfo(
            reader.GetString(1),
            sha256,
            reader.GetString(2),
            pathOf(sha256),
            reader.GetInt32(7),
            reader.GetFloat(8),
            JsonSerializer.Deserialize<string[]>(reader.GetString(9)) ?? [],
            reader.GetInt64(10),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)))
        {
            Description = reader.IsDBNull(3) ? null : reader.GetString(3),
            PriceInputPer1K = Price(reader.GetString(4), "price_input_per_1k"),
            PriceOutputPer1K = Price(reader.GetString(5), "price_output_per_1k"),
            Publisher = reader.GetString(6),
            Source = AdapterSources.Upload,
            Format = reader.GetString(11),
        };
    }

    /// <summary>
    /// Reads a row, or says why it cannot be read (text in a number column, a price that is no plain decimal, broken
    /// targets JSON): a row written by an older version or by hand must cost only itself, never the whole registry.
    /// </summary>
    public static AdapterInfo? TryRead(SqliteDataReader reader, Func<string, string> pathOf, out string? problem)
    {
        try
        {
            problem = null;
            return Read(reader, pathOf);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or JsonException or InvalidCastException
            or InvalidOperationException or ArgumentException or SqliteException)
        {
            problem = ex.Message;
            return null;
        }
    }

    /// <summary>The row's name and hash for a log line about it, whatever else is wrong with it.</summary>
    public static (string Name, string Sha256) Key(SqliteDataReader reader) =>
        (Text(reader, 1), Text(reader, 0));

    private static string Text(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? "(null)" : Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture) ?? "(null)";

    // Exactly what an upload stores (digits and one point): the sign, group separators and exponents that
    // NumberStyles.Number allows would read a hand-edited "-1" or "1,000" as a price.
    private static decimal Price(string text, string column) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price)
            ? price
            : throw new FormatException($"{column} '{(text.Length > 40 ? text[..40] + "…" : text)}' is not a plain non-negative decimal that fits a price.");

    /// <summary>The parameters of an insert, named after the columns.</summary>
    public static (string Name, object? Value)[] Parameters(AdapterInfo adapter) =>
    [
        ("@sha256", adapter.Sha256),
        ("@name", adapter.Name),
        ("@base_model", adapter.BaseModel),
        ("@description", adapter.Description),
        ("@price_input_per_1k", adapter.PriceInputPer1K.ToString(CultureInfo.InvariantCulture)),
        ("@price_output_per_1k", adapter.PriceOutputPer1K.ToString(CultureInfo.InvariantCulture)),
        ("@publisher", adapter.Publisher ?? throw new ArgumentException("An uploaded adapter needs its publisher.", nameof(adapter))),
        ("@rank", adapter.Rank),
        ("@alpha", adapter.Alpha),
        ("@targets", JsonSerializer.Serialize(adapter.Targets)),
        ("@size_bytes", adapter.SizeBytes),
        ("@format", adapter.Format),
        ("@created_ms", adapter.Created.ToUnixTimeMilliseconds()),
    ];
}
