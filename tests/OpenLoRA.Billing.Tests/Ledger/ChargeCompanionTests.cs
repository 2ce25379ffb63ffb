using System.Numerics;
using Microsoft.Data.Sqlite;
using OpenLoRA.Billing.Ledger;

namespace OpenLoRA.Billing.Tests.Ledger;

/// <summary>The record written in the charge's own transaction (the server's trace): both commit or neither does.</summary>
public sealed class ChargeCompanionTests : IDisposable
{
    private static readonly SplitRecipients Split = SplitRecipients.PublisherOnly(TestBilling.Publisher);
    private readonly TestBilling _billing = new();
    private readonly string _user = TestBilling.Address(1);

    public void Dispose() => _billing.Dispose();

    [Fact]
    public async Task SettleAsync_WithCompanion_CommitsItsRecordWithTheChargeAndPassesTheCappedAmount()
    {
        await _billing.DepositAsync(_user, TestBilling.Open, 1);
        await _billing.Ledger.ReserveAsync(_user, "r1", 1_000);
        var companion = new RecordingCompanion(_billing.ConnectionString);

        // Asked for more than was reserved: the ledger charges the reservation, and the companion must carry that.
        ChargeResult result = await _billing.Ledger.SettleAsync("r1", 1_500, "t1", Split, companion);

        Assert.Equal(new BigInteger(1_000), result.Charged);
        Assert.Equal([new BigInteger(1_000)], companion.Charged);
        Assert.Equal(["1000"], ReadRecords());
        Assert.Equal(new BigInteger(1_000), (await _billing.Ledger.GetChargeAsync("r1"))!.Charged);
    }

    [Fact]
    public async Task SettleAsync_CompanionThrows_NothingIsChargedAndTheReservationStaysOpen()
    {
        await _billing.DepositAsync(_user, TestBilling.Open, 1);
        await _billing.Ledger.ReserveAsync(_user, "r1", 1_000);
        var failing = new RecordingCompanion(_billing.ConnectionString) { Fail = true };

        await Assert.ThrowsAsync<IOException>(() => _billing.Ledger.SettleAsync("r1", 700, "t1", Split, failing));

        // The charge, its accruals and the companion's own row all rolled back; the reservation is still held.
        Assert.Null(await _billing.Ledger.GetChargeAsync("r1"));
        Assert.Empty(ReadRecords());
        AccountView view = (await _billing.Ledger.GetAccountAsync(_user))!;
        Assert.Equal(new BigInteger(1_000), view.Reserved);
        Assert.Equal(BigInteger.Zero, view.Spent);
        Assert.Equal(BigInteger.Zero, (await _billing.Ledger.GetPayeeAsync(TestBilling.Publisher)).Accrued);

        // A later settlement (the early-end rule, or a retry) still finds the reservation open.
        ChargeResult retried = await _billing.Ledger.SettleAsync("r1", 700, "t1", Split, new RecordingCompanion(_billing.ConnectionString));
        Assert.Equal(new BigInteger(700), retried.Charged);
        Assert.Equal(["700"], ReadRecords());
    }

    [Fact]
    public async Task SettleAsync_AlreadySettled_DoesNotWriteTheCompanionAgain()
    {
        await _billing.DepositAsync(_user, TestBilling.Open, 1);
        await _billing.Ledger.ReserveAsync(_user, "r1", 1_000);
        await _billing.Ledger.SettleAsync("r1", 600, "t1", Split, new RecordingCompanion(_billing.ConnectionString));
        var second = new RecordingCompanion(_billing.ConnectionString);

        ChargeResult again = await _billing.Ledger.SettleAsync("r1", 600, "t1", Split, second);

        Assert.True(again.AlreadySettled);
        Assert.Empty(second.Charged);
        Assert.Equal(["600"], ReadRecords());
    }

    private List<string> ReadRecords()
    {
        using var connection = new SqliteConnection(_billing.ConnectionString);
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = RecordingCompanion.CreateTable;
        create.ExecuteNonQuery();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT amount FROM companion_records ORDER BY rowid";
        using var reader = read.ExecuteReader();
        var amounts = new List<string>();
        while (reader.Read())
        {
            amounts.Add(reader.GetString(0));
        }

        return amounts;
    }

    /// <summary>Writes one row per charge through the charge's transaction; optionally fails after writing it.</summary>
    private sealed class RecordingCompanion : IChargeCompanion
    {
        public const string CreateTable = "CREATE TABLE IF NOT EXISTS companion_records (amount TEXT NOT NULL)";

        public RecordingCompanion(string connectionString)
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = CreateTable;
            create.ExecuteNonQuery();
        }

        public bool Fail { get; init; }

        public List<BigInteger> Charged { get; } = [];

        public void Write(SqliteTransaction transaction, BigInteger charged)
        {
            Charged.Add(charged);
            using var insert = transaction.Connection!.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO companion_records (amount) VALUES (@amount)";
            insert.Parameters.AddWithValue("@amount", charged.ToString(System.Globalization.CultureInfo.InvariantCulture));
            insert.ExecuteNonQuery();
            if (Fail)
            {
                throw new IOException("disk I/O error (injected)");
            }
        }
    }
}
