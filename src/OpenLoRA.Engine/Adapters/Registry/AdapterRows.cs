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
            PriceInputPer1K = decimal.Parse(reader.GetString(4), NumberStyles.Number, CultureInfo.InvariantCulture),
            PriceOutputPer1K = decimal.Parse(reader.GetString(5), NumberStyles.Number, CultureInfo.InvariantCulture),
            Publisher = reader.GetString(6),
            Source = AdapterSources.Upload,
            Format = reader.GetString(11),
        };
    }

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
