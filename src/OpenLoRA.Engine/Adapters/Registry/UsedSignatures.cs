using Microsoft.Data.Sqlite;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Storage;

namespace OpenLoRA.Engine.Adapters.Registry;

/// <summary>
/// The replay guard of every signed publisher action (<see cref="PublisherMessages.Titles"/>): a signature id is
/// inserted in the same transaction as the change it authorizes, so it is spent exactly when the change commits, and
/// a refused change leaves it unspent. The table lives in the adapter registry's schema of the shared database, which
/// the engine migrates before anything can be published.
/// </summary>
public static class UsedSignatures
{
    /// <summary>Records <paramref name="signature"/>, purging records whose signatures expired before <paramref name="now"/>.</summary>
    /// <returns>False, changing nothing, when the signature was used before.</returns>
    public static bool TrySpend(SqliteConnection connection, SqliteTransaction transaction, UsedSignature signature, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signature);

        // An expired signature is refused by its timestamp before it gets here, so its record no longer guards
        // anything; purging on each write keeps the table at about one signature lifetime of traffic (indexed range).
        connection.Execute(transaction, "DELETE FROM used_signatures WHERE expires_ms < @now", ("@now", now.ToUnixTimeMilliseconds()));
        var inserted = connection.Execute(
            transaction,
            "INSERT INTO used_signatures (signature_id, expires_ms) VALUES (@id, @expires) ON CONFLICT (signature_id) DO NOTHING",
            ("@id", signature.Id),
            ("@expires", signature.Expires.ToUnixTimeMilliseconds()));
        return inserted != 0;
    }

    /// <exception cref="AdapterPublishException"><see cref="AdapterPublishError.Replayed"/> when it was used before.</exception>
    internal static void Spend(SqliteConnection connection, SqliteTransaction transaction, UsedSignature signature, DateTimeOffset now)
    {
        if (!TrySpend(connection, transaction, signature, now))
        {
            throw AdapterPublishException.Replayed();
        }
    }
}
