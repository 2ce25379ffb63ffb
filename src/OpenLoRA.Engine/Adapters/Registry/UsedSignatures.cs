using Microsoft.Data.Sqlite;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Storage;

namespace OpenLoRA.Engine.Adapters.Registry;

/// <summary>
/// The replay guard: a signature id is inserted in the same transaction as the change it authorizes, so it is spent
/// exactly when the change commits, and a refused change leaves it unspent.
/// </summary>
internal static class UsedSignatures
{
    /// <summary>Records <paramref name="signature"/>, purging records whose signatures expired before <paramref name="now"/>.</summary>
    /// <exception cref="AdapterPublishException"><see cref="AdapterPublishError.Replayed"/> when it was used before.</exception>
    public static void Spend(SqliteConnection connection, SqliteTransaction transaction, UsedSignature signature, DateTimeOffset now)
    {
        // An expired signature is refused by its timestamp before it gets here, so its record no longer guards
        // anything; purging on each write keeps the table at about one signature lifetime of traffic (indexed range).
        connection.Execute(transaction, "DELETE FROM used_signatures WHERE expires_ms < @now", ("@now", now.ToUnixTimeMilliseconds()));
        var inserted = connection.Execute(
            transaction,
            "INSERT INTO used_signatures (signature_id, expires_ms) VALUES (@id, @expires) ON CONFLICT (signature_id) DO NOTHING",
            ("@id", signature.Id),
            ("@expires", signature.Expires.ToUnixTimeMilliseconds()));
        if (inserted == 0)
        {
            throw AdapterPublishException.Replayed();
        }
    }
}
