using System.Globalization;
using Microsoft.Data.Sqlite;
using OpenLoRA.Billing.Pricing;
using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing.Ledger;

/// <summary>Reads <c>billing_reservations</c> rows, the stored quote included.</summary>
internal static class ReservationRows
{
    private const string Columns =
        "request_id, address, amount, state, prompt_tokens, max_tokens, quote_adapter_input, quote_adapter_output, " +
        "quote_base_input, quote_base_output, quote_platform_fee_bps, created_at";

    public static async Task<ReservationRow?> LoadAsync(SqliteConnection connection, SqliteTransaction? transaction,
        string requestId, CancellationToken cancellationToken)
    {
        List<ReservationRow> rows = await connection.QueryAsync(transaction,
            $"SELECT {Columns} FROM billing_reservations WHERE request_id = @id", Map, cancellationToken, ("@id", requestId))
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public static Task<List<ReservationRow>> LoadOpenAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        connection.QueryAsync(null,
            $"SELECT {Columns} FROM billing_reservations WHERE state = @open ORDER BY created_at, request_id",
            Map, cancellationToken, ("@open", ReservationRow.Open));

    private static ReservationRow Map(SqliteDataReader r)
    {
        PriceQuote? quote = r.IsDBNull(6)
            ? null
            : new PriceQuote(AmountText.Parse(r.GetString(6)), AmountText.Parse(r.GetString(7)), AmountText.Parse(r.GetString(8)),
                AmountText.Parse(r.GetString(9)), Convert.ToInt32(r.GetInt64(10), CultureInfo.InvariantCulture));
        return new ReservationRow(r.GetString(0), r.GetString(1), AmountText.Parse(r.GetString(2)), r.GetString(3),
            r.GetNullableInt64(4), r.GetNullableInt64(5), quote, DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)));
    }
}
