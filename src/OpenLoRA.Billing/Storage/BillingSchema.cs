using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OpenLoRA.Billing.Storage;

/// <summary>
/// The billing tables (all prefixed <c>billing_</c>) as an append-only list of migrations; migration i brings the
/// schema to version i + 1, recorded in <c>billing_schema_version</c>. Never edit or reorder a shipped migration.
/// Plain SQL that PostgreSQL runs too: TEXT amounts (see <see cref="AmountText"/>), BIGINT unix-millisecond times,
/// no AUTOINCREMENT (ids are made in C#), ON CONFLICT instead of INSERT OR IGNORE.
/// </summary>
internal static class BillingSchema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE billing_accounts (
            address TEXT PRIMARY KEY,
            deposited TEXT NOT NULL,
            reserved TEXT NOT NULL,
            spent TEXT NOT NULL,
            settled TEXT NOT NULL,
            created_at BIGINT NOT NULL);
        CREATE TABLE billing_deposits (
            tx_hash TEXT NOT NULL,
            log_index BIGINT NOT NULL,
            address TEXT NOT NULL,
            amount TEXT NOT NULL,
            block_number BIGINT NOT NULL,
            recorded_at BIGINT NOT NULL,
            PRIMARY KEY (tx_hash, log_index));
        CREATE INDEX ix_billing_deposits_address ON billing_deposits (address);
        CREATE TABLE billing_challenges (
            id TEXT PRIMARY KEY,
            address TEXT NOT NULL,
            message TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            used_at BIGINT NULL);
        CREATE TABLE billing_api_keys (
            id TEXT PRIMARY KEY,
            address TEXT NOT NULL,
            key_hash TEXT NOT NULL UNIQUE,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT NULL);
        CREATE INDEX ix_billing_api_keys_address ON billing_api_keys (address);
        CREATE TABLE billing_reservations (
            request_id TEXT PRIMARY KEY,
            address TEXT NOT NULL,
            amount TEXT NOT NULL,
            state TEXT NOT NULL,
            prompt_tokens BIGINT NULL,
            max_tokens BIGINT NULL,
            quote_adapter_input TEXT NULL,
            quote_adapter_output TEXT NULL,
            quote_base_input TEXT NULL,
            quote_base_output TEXT NULL,
            quote_platform_fee_bps BIGINT NULL,
            created_at BIGINT NOT NULL,
            resolved_at BIGINT NULL);
        CREATE INDEX ix_billing_reservations_state ON billing_reservations (state);
        CREATE TABLE billing_charges (
            request_id TEXT PRIMARY KEY,
            address TEXT NOT NULL,
            amount TEXT NOT NULL,
            requested TEXT NOT NULL,
            reserved TEXT NOT NULL,
            trace_id TEXT NULL,
            epoch BIGINT NULL,
            created_at BIGINT NOT NULL);
        CREATE INDEX ix_billing_charges_address ON billing_charges (address, created_at);
        CREATE INDEX ix_billing_charges_epoch ON billing_charges (epoch);
        CREATE TABLE billing_accruals (
            request_id TEXT NOT NULL,
            payee TEXT NOT NULL,
            role TEXT NOT NULL,
            amount TEXT NOT NULL,
            epoch BIGINT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (request_id, payee, role));
        CREATE INDEX ix_billing_accruals_epoch ON billing_accruals (epoch);
        CREATE TABLE billing_payees (
            address TEXT PRIMARY KEY,
            accrued TEXT NOT NULL,
            settled TEXT NOT NULL);
        CREATE TABLE billing_epochs (
            epoch BIGINT PRIMARY KEY,
            closed_at BIGINT NOT NULL,
            total TEXT NOT NULL,
            manifest TEXT NOT NULL,
            manifest_hash TEXT NOT NULL,
            settled_tx_hash TEXT NULL,
            settled_at BIGINT NULL);
        """,
    ];

    private const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS billing_schema_version (component TEXT PRIMARY KEY, version BIGINT NOT NULL)";

    /// <summary>Applies the pending migrations in one IMMEDIATE transaction, so two processes starting together queue
    /// on the write lock and the second one sees the first one's version instead of applying them again.</summary>
    public static void Apply(SqliteConnection connection)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        using (SqliteCommand create = connection.Command(transaction, CreateVersionTable))
        {
            create.ExecuteNonQuery();
        }

        long current;
        using (SqliteCommand read = connection.Command(transaction,
                   "SELECT version FROM billing_schema_version WHERE component = 'billing'"))
        {
            current = Convert.ToInt64(read.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
        }

        if (current > Migrations.Count)
        {
            throw new InvalidOperationException(
                $"The database has billing schema version {current} but this build knows only {Migrations.Count}; it was written by a newer build.");
        }

        for (int i = (int)current; i < Migrations.Count; i++)
        {
            using SqliteCommand migrate = connection.Command(transaction, Migrations[i]);
            migrate.ExecuteNonQuery();
        }

        if (current < Migrations.Count)
        {
            using SqliteCommand write = connection.Command(transaction,
                "INSERT INTO billing_schema_version (component, version) VALUES ('billing', @version) " +
                "ON CONFLICT (component) DO UPDATE SET version = excluded.version",
                ("@version", (long)Migrations.Count));
            write.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
