using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>
/// Audits a server's ledger (its real SQLite file, read while it runs or after it stopped) against what the clients
/// saw. Reusable by every fault test: pass the streams' client-side results (<see cref="PaidStream"/>), and the
/// balances the API reports, and call <see cref="AssertClean"/>.
/// <list type="bullet">
/// <item>Unpaid complete responses: every response the client received whole has exactly one charge, naming the trace
/// the client was given.</item>
/// <item>Charges for responses with no content delivered: a response that was not complete and whose client got no
/// content chunk has no charge.</item>
/// <item>Charges without traces: every charge that names a trace has that trace stored, carrying the same amount; a
/// charge without a trace id only belongs to a response that did not complete (the early-end rule).</item>
/// <item>Books, per account, to the unit: credited deposits = the deposit rows; reserved = the open reservations;
/// spent + settled = the charges; each charge = its accruals; deposits = balance + spent + settled + reserved with
/// the balance the API reports, never negative.</item>
/// </list>
/// </summary>
internal sealed class LedgerAudit
{
    private readonly string _databasePath;

    public LedgerAudit(string databasePath)
    {
        if (!File.Exists(databasePath))
        {
            throw new FileNotFoundException("The server's database is not there.", databasePath);
        }

        _databasePath = databasePath;
    }

    /// <summary>The database of a server's data directory.</summary>
    public static LedgerAudit OfDataDirectory(string dataDirectory) => new(Path.Combine(dataDirectory, "openlora.db"));

    /// <summary>Runs every check; the findings are empty when the ledger is clean.</summary>
    /// <param name="apiBalances">Account address → the <c>balance</c> GET /v1/account reports (base units).</param>
    public LedgerAuditReport Run(IReadOnlyCollection<PaidStream> streams, IReadOnlyDictionary<string, BigInteger> apiBalances)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();

        // One read transaction: every table is read at the same instant of the ledger.
        using var snapshot = connection.BeginTransaction(deferred: true);
        var charges = Query(connection, snapshot, "SELECT request_id, address, amount, trace_id FROM billing_charges",
            r => new Charge(r.GetString(0), r.GetString(1), Units(r.GetString(2)), r.IsDBNull(3) ? null : r.GetString(3)));
        var traces = Query(connection, snapshot, "SELECT id, canonical FROM attribution_traces", r => (Id: r.GetString(0), Canonical: r.GetString(1)))
            .ToDictionary(t => t.Id, t => TraceAmount(t.Canonical), StringComparer.Ordinal);
        var accruals = Query(connection, snapshot, "SELECT request_id, amount FROM billing_accruals", r => (Id: r.GetString(0), Amount: Units(r.GetString(1))))
            .GroupBy(a => a.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(BigInteger.Zero, (sum, a) => sum + a.Amount), StringComparer.Ordinal);
        var accounts = Query(connection, snapshot, "SELECT address, deposited, reserved, spent, settled FROM billing_accounts",
            r => new Account(r.GetString(0), Units(r.GetString(1)), Units(r.GetString(2)), Units(r.GetString(3)), Units(r.GetString(4))));
        var deposits = Sums(connection, snapshot, "SELECT address, amount FROM billing_deposits");
        var reservedOpen = Sums(connection, snapshot, "SELECT address, amount FROM billing_reservations WHERE state = 'open'");
        var chargedPerAccount = charges.GroupBy(c => c.Address, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(BigInteger.Zero, (sum, c) => sum + c.Amount), StringComparer.Ordinal);
        var chargesByRequest = charges.ToLookup(c => c.RequestId, StringComparer.Ordinal);

        var report = new LedgerAuditReport();
        foreach (var stream in streams)
        {
            if (stream.Complete)
            {
                var own = stream.RequestId is null ? [] : chargesByRequest[stream.RequestId].ToList();
                if (own.Count != 1 || (stream.TraceId is not null && own[0].TraceId != stream.TraceId))
                {
                    report.UnpaidComplete.Add($"{stream.RequestId} (trace {stream.TraceId}): {own.Count} charge(s), trace ids [{string.Join(", ", own.Select(c => c.TraceId))}]");
                }
            }
            else if (stream.ContentChunks == 0 && stream.RequestId is not null && chargesByRequest[stream.RequestId].Any())
            {
                report.ChargedWithoutContent.Add($"{stream.RequestId} ended '{stream.Ending}' with no content chunk but was charged");
            }
        }

        var complete = streams.Where(s => s.Complete && s.RequestId is not null).Select(s => s.RequestId!).ToHashSet(StringComparer.Ordinal);
        foreach (var charge in charges)
        {
            if (charge.TraceId is null)
            {
                if (complete.Contains(charge.RequestId) && streams.First(s => s.RequestId == charge.RequestId).TraceId is not null)
                {
                    report.ChargesWithoutTraces.Add($"{charge.RequestId}: a complete traced response charged without its trace");
                }
            }
            else if (!traces.TryGetValue(charge.TraceId, out var traced))
            {
                report.ChargesWithoutTraces.Add($"{charge.RequestId}: names trace {charge.TraceId}, which does not exist");
            }
            else if (traced != charge.Amount)
            {
                report.ChargesWithoutTraces.Add($"{charge.RequestId}: charged {charge.Amount} but its trace {charge.TraceId} says {traced}");
            }

            if (accruals.GetValueOrDefault(charge.RequestId) != charge.Amount)
            {
                report.Books.Add($"{charge.RequestId}: charged {charge.Amount}, accrued {accruals.GetValueOrDefault(charge.RequestId)}");
            }
        }

        foreach (var account in accounts)
        {
            var a = account.Address;
            Check(report, a, "deposited", account.Deposited, deposits.GetValueOrDefault(a), "the deposit rows");
            Check(report, a, "reserved", account.Reserved, reservedOpen.GetValueOrDefault(a), "the open reservations");
            Check(report, a, "spent + settled", account.Spent + account.Settled, chargedPerAccount.GetValueOrDefault(a), "the charges");
            var balance = account.Deposited - account.Settled - account.Spent - account.Reserved;
            if (balance.Sign < 0)
            {
                report.Books.Add($"{a}: negative balance {balance}");
            }

            if (apiBalances.TryGetValue(a, out var reported))
            {
                Check(report, a, "deposits", account.Deposited, reported + account.Spent + account.Settled + account.Reserved, "balance + spent + settled + reserved");
            }
        }

        foreach (var missing in apiBalances.Keys.Where(k => accounts.All(a => a.Address != k)))
        {
            report.Books.Add($"{missing}: the API reports a balance but the ledger has no account row");
        }

        return report;
    }

    private static void Check(LedgerAuditReport report, string address, string what, BigInteger stored, BigInteger expected, string source)
    {
        if (stored != expected)
        {
            report.Books.Add($"{address}: {what} {stored} but {source} sum to {expected}");
        }
    }

    private static BigInteger TraceAmount(string canonical) =>
        JsonDocument.Parse(Encoding.UTF8.GetBytes(canonical)).RootElement.GetProperty("charge") is { ValueKind: JsonValueKind.Object } charge
            ? Units(charge.GetProperty("amount").GetString()!)
            : BigInteger.MinusOne;

    private static Dictionary<string, BigInteger> Sums(SqliteConnection connection, SqliteTransaction transaction, string sql) =>
        Query(connection, transaction, sql, r => (Address: r.GetString(0), Amount: Units(r.GetString(1))))
            .GroupBy(r => r.Address, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(BigInteger.Zero, (sum, r) => sum + r.Amount), StringComparer.Ordinal);

    private static List<T> Query<T>(SqliteConnection connection, SqliteTransaction transaction, string sql, Func<SqliteDataReader, T> map)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static BigInteger Units(string text) => BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private sealed record Charge(string RequestId, string Address, BigInteger Amount, string? TraceId);

    private sealed record Account(string Address, BigInteger Deposited, BigInteger Reserved, BigInteger Spent, BigInteger Settled);
}
