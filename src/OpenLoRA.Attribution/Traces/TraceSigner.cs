using Nethereum.KeyStore;
using Nethereum.Signer;

namespace OpenLoRA.Attribution.Traces;

/// <summary>
/// Signs traces with the server's secp256k1 key. The signature is EIP-191 personal_sign over the 32-byte trace
/// hash (keccak256("\x19Ethereum Signed Message:\n32" ‖ traceHash)), so a contract checks it with OpenZeppelin's
/// ECDSA.recover(MessageHashUtils.toEthSignedMessageHash(traceHash), sig) and any wallet can produce the same
/// signature; the prefix also keeps a trace signature from ever being a valid transaction signature.
/// A trace is signed once, after billing has filled <see cref="AttributionTrace.Charge"/>, so the charge is covered.
/// The key is held only inside this object: <see cref="ToString"/> shows the address, never the key.
/// </summary>
public sealed class TraceSigner
{
    private readonly Secp256k1RecoverableSigner _signer;

    private TraceSigner(EthECKey key)
    {
        _signer = new Secp256k1RecoverableSigner(key.GetPrivateKeyAsBytes());
        Address = key.GetPublicAddress();
    }

    /// <summary>EIP-55 address of the signing key.</summary>
    public string Address { get; }

    /// <summary>From a 32-byte private key in hex (with or without 0x).</summary>
    public static TraceSigner FromPrivateKey(string privateKeyHex)
    {
        ArgumentNullException.ThrowIfNull(privateKeyHex);
        string hex = privateKeyHex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? privateKeyHex[2..] : privateKeyHex;
        // The message deliberately omits the value: it is a secret.
        if (hex.Length != 64 || !HexText.IsHex(hex))
            throw new ArgumentException("The signer private key must be 32 bytes of hex.", nameof(privateKeyHex));
        return FromKeyBytes(Convert.FromHexString(hex));
    }

    /// <summary>From a Web3 Secret Storage (v3) keystore JSON and its password.</summary>
    public static TraceSigner FromKeystoreJson(string keystoreJson, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(keystoreJson);
        ArgumentNullException.ThrowIfNull(password);
        byte[] key;
        try
        {
            key = new KeyStoreService().DecryptKeyStoreFromJson(password, keystoreJson);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException("Could not decrypt the signer keystore (wrong password or malformed file).", e);
        }
        return FromKeyBytes(key);
    }

    public static TraceSigner FromKeystoreFile(string path, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return FromKeystoreJson(File.ReadAllText(path), password);
    }

    private static TraceSigner FromKeyBytes(byte[] key)
    {
        try
        {
            if (key.Length != 32 || key.All(b => b == 0)) throw new ArgumentException("The signer private key is not a valid secp256k1 key.");
            return new TraceSigner(new EthECKey(key, isPrivate: true));
        }
        finally
        {
            Array.Clear(key);
        }
    }

    /// <summary>EIP-191 signature (0x + 130 hex, r‖s‖v with v = 27/28) over a 32-byte hash.</summary>
    public string SignHash(ReadOnlySpan<byte> hash32)
    {
        if (hash32.Length != 32) throw new ArgumentException("Expected a 32-byte hash.", nameof(hash32));
        return _signer.SignPersonal(hash32);
    }

    /// <summary>Signs a trace; throws if it has no charge yet, because the signature must cover the charge.</summary>
    public SignedAttributionTrace Sign(AttributionTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (trace.Charge is null)
            throw new InvalidOperationException("Sign a trace after billing has filled its charge; the signature covers the charge.");
        byte[] hash = TraceEncoder.Hash(trace);
        return new SignedAttributionTrace(trace, "0x" + Convert.ToHexStringLower(hash), SignHash(hash), Address);
    }

    public override string ToString() => $"TraceSigner({Address})";
}
