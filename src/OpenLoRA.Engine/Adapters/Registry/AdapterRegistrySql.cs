namespace OpenLoRA.Engine.Adapters.Registry;

/// <summary>Statements of <see cref="AdapterRegistry"/> too long to sit inline.</summary>
internal static class AdapterRegistrySql
{
    /// <summary>
    /// Inserts a live row, or revives the row of the same content (deleted, or live under the same name when a
    /// publisher re-sends identical weights to change the price or description) with the new metadata.
    /// </summary>
    public const string Upsert =
        $"""
        INSERT INTO adapters ({AdapterRows.Columns}, deleted_ms)
        VALUES (@sha256, @name, @base_model, @description, @price_input_per_1k, @price_output_per_1k, @publisher,
                @rank, @alpha, @targets, @size_bytes, @format, @created_ms, NULL)
        ON CONFLICT (sha256) DO UPDATE SET
            name = excluded.name, base_model = excluded.base_model, description = excluded.description,
            price_input_per_1k = excluded.price_input_per_1k, price_output_per_1k = excluded.price_output_per_1k,
            publisher = excluded.publisher, rank = excluded.rank, alpha = excluded.alpha, targets = excluded.targets,
            size_bytes = excluded.size_bytes, format = excluded.format, created_ms = excluded.created_ms, deleted_ms = NULL
        """;
}
