using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Nethereum.Signer;
using Nethereum.Util;
using OpenLoRA.Chain;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Auth;

/// <summary>
/// Checks a publisher's EIP-191 <c>personal_sign</c> signature over the canonical message of
/// <see cref="PublisherMessages"/>: the text is rebuilt from the request (declared publisher, this server's chain id,
/// the values sent), the signer is recovered from the signature over exactly that text, and anything but the declared
/// publisher is refused with the text it should have signed. Recovery alone proves nothing (every 65 bytes recover to
/// some address), which is why the publisher is declared and named in the text.
/// Replay is not decided here: the caller records <see cref="PublisherSignature.SignatureId"/> in the same
/// transaction as the change it authorises.
/// </summary>
internal sealed class PublisherSignatureVerifier(IOptions<ServerOptions> options, IOptions<ChainOptions> chain, TimeProvider time)
{
    /// <summary>The chain id every publisher message names: the chain this server commits to, 0 when the chain is off.</summary>
    public ulong ChainId => chain.Value.Mode == ChainMode.Off ? 0 : chain.Value.EffectiveChainId;

    /// <param name="fields">The signature, timestamp and publisher as sent, and where they came from.</param>
    /// <param name="message">Builds the canonical message for the declared publisher and the parsed timestamp.</param>
    public PublisherSignature Verify(SignedFields fields, Func<PublisherIdentity, long, string> message)
    {
        var (signature, timestamp, declared, signatureParam, timestampParam, publisherParam) = fields;
        if (string.IsNullOrEmpty(signature))
        {
            throw ApiException.Unauthorized($"A publisher signature is required in '{signatureParam}'.", signatureParam, "missing_signature");
        }

        if (string.IsNullOrEmpty(timestamp))
        {
            throw ApiException.Unauthorized($"The signed timestamp is required in '{timestampParam}'.", timestampParam, "missing_signature");
        }

        if (string.IsNullOrEmpty(declared))
        {
            throw ApiException.Unauthorized(
                $"The publisher's address is required in '{publisherParam}': it is part of the signed text.", publisherParam, "missing_signature");
        }

        if (!PublisherIdentity.IsAddress(declared))
        {
            throw ApiException.Unauthorized($"'{publisherParam}' must be a 0x-prefixed 20-byte hex address.", publisherParam, "invalid_signature");
        }

        // One spelling per value: the text names the parsed number, so "0123" could only ever verify as "123".
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || (timestamp.Length > 1 && timestamp[0] == '0'))
        {
            throw ApiException.Unauthorized(
                $"'{timestampParam}' must be Unix time in whole seconds, decimal digits without leading zeros.", timestampParam, "invalid_signature");
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

        var identity = new PublisherIdentity(declared, ChainId);
        var text = message(identity, seconds);
        var recovered = Recover(text, bytes) ?? throw InvalidSignature(signatureParam, "no signer can be recovered from it");
        if (!string.Equals(recovered, identity.Address, StringComparison.Ordinal))
        {
            throw ApiException.Unauthorized(
                $"The signature in '{signatureParam}' was not made by {identity.Address} over the expected text; sign exactly "
                + $"\"{JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}\" (UTF-8, \\n line ends, no trailing newline).",
                signatureParam,
                "invalid_signature");
        }

        return new PublisherSignature(
            identity.Address,
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
