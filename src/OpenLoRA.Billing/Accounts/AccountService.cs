using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Nethereum.Signer;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing.Accounts;

/// <summary>
/// Sign-in by wallet signature and API keys. An account is an Ethereum address; proving control of it (an EIP-191
/// signature over a server-issued, single-use, expiring challenge) gets an API key. An account may hold several keys
/// and revoke each one.
/// </summary>
public sealed class AccountService
{
    private readonly BillingDatabase _database;
    private readonly BillingOptions _options;
    private readonly TimeProvider _time;

    public AccountService(BillingDatabase database, IOptions<BillingOptions> options, TimeProvider time)
    {
        _database = database;
        _options = options.Value;
        _time = time;
    }

    /// <summary>Issues a challenge for <paramref name="address"/> to sign; it can be redeemed once within the
    /// configured lifetime.</summary>
    public async Task<LoginChallenge> CreateChallengeAsync(string address, CancellationToken cancellationToken = default)
    {
        string normalized = EthAddress.Normalize(address);
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset expiresAt = now + _options.ChallengeLifetime;
        string id = "ch_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        string nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        string message = ChallengeText.Build(_options.ChallengeDomain, normalized, id, nonce, expiresAt);

        await using SqliteConnection connection = _database.Open();
        await connection.ExecuteAsync(null,
            "INSERT INTO billing_challenges (id, address, message, created_at, expires_at) VALUES (@id, @address, @message, @now, @expires)",
            cancellationToken,
            ("@id", id), ("@address", normalized), ("@message", message),
            ("@now", now.ToUnixTimeMilliseconds()), ("@expires", expiresAt.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        return new LoginChallenge(id, normalized, message, expiresAt);
    }

    /// <summary>
    /// Checks that <paramref name="signature"/> is the EIP-191 signature of the challenge text by
    /// <paramref name="address"/>, spends the challenge, creates the account if it is new and issues an API key.
    /// A bad signature does not spend the challenge (only the address's owner can produce a good one, and burning it
    /// would let anyone who saw the id deny the owner their sign-in).
    /// </summary>
    /// <exception cref="ChallengeRejectedException">Unknown, expired, already used, or bad signature.</exception>
    public async Task<IssuedApiKey> RedeemChallengeAsync(string address, string challengeId, string signature,
        CancellationToken cancellationToken = default)
    {
        string normalized = EthAddress.Normalize(address);
        ArgumentNullException.ThrowIfNull(challengeId);
        await using SqliteConnection connection = _database.Open();
        List<(string Message, long ExpiresAt, bool Used)> rows = await connection.QueryAsync(null,
            "SELECT message, expires_at, used_at FROM billing_challenges WHERE id = @id AND address = @address",
            r => (r.GetString(0), r.GetInt64(1), !r.IsDBNull(2)),
            cancellationToken, ("@id", challengeId), ("@address", normalized)).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            throw new ChallengeRejectedException(ChallengeRejection.Unknown, challengeId);
        }

        (string message, long expiresAtMs, bool used) = rows[0];
        if (used)
        {
            throw new ChallengeRejectedException(ChallengeRejection.Used, challengeId);
        }

        DateTimeOffset now = _time.GetUtcNow();
        if (now.ToUnixTimeMilliseconds() >= expiresAtMs)
        {
            throw new ChallengeRejectedException(ChallengeRejection.Expired, challengeId);
        }

        if (!SignedBy(message, signature, normalized))
        {
            throw new ChallengeRejectedException(ChallengeRejection.BadSignature, challengeId);
        }

        string apiKey = ApiKeyFormat.NewKey();
        string keyId = ApiKeyFormat.NewId();
        long nowMs = now.ToUnixTimeMilliseconds();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);

        // The conditional update is what makes the challenge single use: of two concurrent redeems only one sees a row change.
        int spent = await connection.ExecuteAsync(transaction,
            "UPDATE billing_challenges SET used_at = @now WHERE id = @id AND used_at IS NULL",
            cancellationToken, ("@now", nowMs), ("@id", challengeId)).ConfigureAwait(false);
        if (spent == 0)
        {
            throw new ChallengeRejectedException(ChallengeRejection.Used, challengeId);
        }

        await AccountRows.EnsureAsync(connection, transaction, normalized, nowMs, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(transaction,
            "INSERT INTO billing_api_keys (id, address, key_hash, created_at) VALUES (@id, @address, @hash, @now)",
            cancellationToken, ("@id", keyId), ("@address", normalized), ("@hash", ApiKeyFormat.TryHash(apiKey)), ("@now", nowMs))
            .ConfigureAwait(false);
        transaction.Commit();
        return new IssuedApiKey(keyId, normalized, apiKey, now);
    }

    /// <summary>The account of a live (not revoked) key, or null for an unknown, malformed or revoked key.</summary>
    public async Task<AuthenticatedAccount?> AuthenticateAsync(string? apiKey, CancellationToken cancellationToken = default)
    {
        string? hash = ApiKeyFormat.TryHash(apiKey);
        if (hash is null)
        {
            return null;
        }

        await using SqliteConnection connection = _database.Open();
        List<AuthenticatedAccount> rows = await connection.QueryAsync(null,
            "SELECT address, id FROM billing_api_keys WHERE key_hash = @hash AND revoked_at IS NULL",
            r => new AuthenticatedAccount(r.GetString(0), r.GetString(1)), cancellationToken, ("@hash", hash)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Revokes one of <paramref name="address"/>'s keys. False when the key is not that account's or was
    /// already revoked, so one account can never revoke another's key.</summary>
    public async Task<bool> RevokeKeyAsync(string address, string keyId, CancellationToken cancellationToken = default)
    {
        string normalized = EthAddress.Normalize(address);
        await using SqliteConnection connection = _database.Open();
        int changed = await connection.ExecuteAsync(null,
            "UPDATE billing_api_keys SET revoked_at = @now WHERE id = @id AND address = @address AND revoked_at IS NULL",
            cancellationToken, ("@now", _time.GetUtcNow().ToUnixTimeMilliseconds()), ("@id", keyId), ("@address", normalized))
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <summary>The account's keys, newest first, revoked ones included.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(string address, CancellationToken cancellationToken = default)
    {
        string normalized = EthAddress.Normalize(address);
        await using SqliteConnection connection = _database.Open();
        return await connection.QueryAsync(null,
            "SELECT id, created_at, revoked_at FROM billing_api_keys WHERE address = @address ORDER BY created_at DESC, id",
            r => new ApiKeyInfo(r.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
                r.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2))),
            cancellationToken, ("@address", normalized)).ConfigureAwait(false);
    }

    private static bool SignedBy(string message, string signature, string address)
    {
        // A 65-byte r||s||v signature in hex; anything else is refused before it reaches the recovery code.
        string hex = signature.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? signature[2..] : signature;
        if (hex.Length != 130 || hex.AsSpan().ContainsAnyExcept("0123456789abcdefABCDEF"))
        {
            return false;
        }

        try
        {
            string recovered = new EthereumMessageSigner().EncodeUTF8AndEcRecover(message, "0x" + hex);
            return string.Equals(recovered, address, StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Recovery throws assorted exception types for a well-formed but invalid (r, s, v); all mean "not signed".
            return false;
        }
    }
}
