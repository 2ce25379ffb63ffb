using System.Globalization;
using Microsoft.Extensions.Options;
using Nethereum.Signer;
using Nethereum.Util;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Auth;

/// <summary>
/// Checks a publisher's EIP-191 <c>personal_sign</c> signature over a canonical message and recovers the signer.
/// Replay is not decided here: the publisher records <see cref="PublisherSignature.SignatureId"/> in the same
/// transaction as the change it authorises.
/// </summary>
internal sealed class PublisherSignatureVerifier(IOptions<ServerOptions> options, TimeProvider time)
{
    /// <param name="signature">The hex signature as sent; null or empty when absent.</param>
    /// <param name="timestamp">Unix seconds as sent; null or empty when absent.</param>
    /// <param name="message">Builds the canonical message for the parsed timestamp.</param>
    /// <param name="signatureParam">The field or header named in errors about the signature.</param>
    /// <param name="timestampParam">The field or header named in errors about the timestamp.</param>
    public PublisherSignature Verify(
        string? signature, string? timestamp, Func<long, string> message, string signatureParam, string timestampParam)
    {
        if (string.IsNullOrEmpty(signature))
        {
            throw ApiException.Unauthorized($"A publisher signature is required in '{signatureParam}'.", signatureParam, "missing_signature");
        }

        if (string.IsNullOrEmpty(timestamp))
        {
            throw ApiException.Unauthorized($"The signed timestamp is required in '{timestampParam}'.", timestampParam, "missing_signature");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            throw ApiException.Unauthorized($"'{timestampParam}' must be Unix time in whole seconds.", timestampParam, "invalid_signature");
        }

        var maxAge = options.Value.SignatureMaxAgeSeconds;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (seconds < now - maxAge || seconds > now + maxAge)
        {
            throw ApiException.Unauthorized(
                $"The signed timestamp {seconds} is more than {maxAge} seconds from the server time {now}; sign the request again.",
                timestampParam,
                "stale_signature");
        }

        if (!SignatureEncoding.TryParseCanonical(signature, out var bytes))
        {
            throw InvalidSignature(signatureParam, "it must be 65 bytes of hex (r, s, v) with v 27/28 or 0/1 and a low s");
        }

        var publisher = Recover(message(seconds), bytes) ?? throw InvalidSignature(signatureParam, "no signer can be recovered from it");
        return new PublisherSignature(
            publisher,
            Convert.ToHexStringLower(Sha3Keccack.Current.CalculateHash(bytes)),
            DateTimeOffset.FromUnixTimeSeconds(seconds + maxAge));
    }

    private static string? Recover(string message, byte[] signature)
    {
        try
        {
            return new EthereumMessageSigner().EncodeUTF8AndEcRecover(message, "0x" + Convert.ToHexStringLower(signature)).ToLowerInvariant();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or ArithmeticException || ex.GetType() == typeof(Exception))
        {
            // Nethereum reports an r that is not on the curve as ArgumentException and a bad recovery id as a bare
            // Exception; both only mean the bytes are not a signature.
            return null;
        }
    }

    private static ApiException InvalidSignature(string param, string why) =>
        ApiException.Unauthorized($"The signature in '{param}' is not valid: {why}.", param, "invalid_signature");
}
