using System.Numerics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenLoRA.Billing.Accounts;
using OpenLoRA.Billing.Epochs;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing.Tests;

/// <summary>A billing stack over a real SQLite file in a temp folder, with a fake clock. <see cref="Reopen"/> makes a
/// new stack over the same file, as a restarted server would.</summary>
internal sealed class TestBilling : IDisposable
{
    public const string Protocol = "0x00000000000000000000000000000000000000f1";
    public const string Publisher = "0x00000000000000000000000000000000000000a1";

    public static readonly BigInteger Open = BigInteger.Pow(10, 18);

    private readonly string _directory;

    public TestBilling(string? directory = null, FakeTimeProvider? time = null)
    {
        _directory = directory ?? Path.Combine(Path.GetTempPath(), "openlora-billing-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        Options = new BillingOptions { ProtocolAddress = Protocol, ChallengeLifetime = TimeSpan.FromMinutes(5) };
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "openlora.db"), Pooling = true }.ToString();
        Database = BillingDatabase.FromConnectionString(ConnectionString);
        Accounts = new AccountService(Database, Microsoft.Extensions.Options.Options.Create(Options), Time);
        Ledger = new BillingLedger(Database, new FeeSplitter(FeeSplitPolicy.From(Options)), Time);
        Epochs = new EpochSettler(Database, Time);
    }

    public FakeTimeProvider Time { get; }

    public BillingOptions Options { get; }

    public string ConnectionString { get; }

    public BillingDatabase Database { get; }

    public AccountService Accounts { get; }

    public BillingLedger Ledger { get; }

    public EpochSettler Epochs { get; }

    private bool Owner { get; init; } = true;

    public static string Address(int n) => "0x" + n.ToString("x40", System.Globalization.CultureInfo.InvariantCulture);

    public static string TxHash(int n) => "0x" + n.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A fresh stack (new services, new connection factory) over the same file and clock.</summary>
    public TestBilling Reopen() => new(_directory, Time) { Owner = false };

    public Task DepositAsync(string address, BigInteger amount, int tx) => Ledger.RecordDepositAsync(address, amount, TxHash(tx), 0, 100);

    public void Dispose()
    {
        if (!Owner)
        {
            return;
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle still closing; the OS temp cleaner gets it.
        }
    }
}
