using Nethereum.Signer;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>A test publisher: a fresh secp256k1 key that signs like <c>personal_sign</c> (EIP-191).</summary>
internal sealed class PublisherKey
{
    private readonly EthECKey _key = EthECKey.GenerateKey();

    /// <summary>Lower-case 0x address, as the server records publishers.</summary>
    public string Address => _key.GetPublicAddress().ToLowerInvariant();

    /// <summary>The private key as hex, as <c>openlora adapters upload --key</c> takes it.</summary>
    public string PrivateKeyHex => _key.GetPrivateKey();

    /// <summary>0x-prefixed hex of the 65-byte signature; deterministic (RFC 6979), so signing twice gives the same bytes.</summary>
    public string Sign(string message) => new EthereumMessageSigner().EncodeUTF8AndSign(message, _key);
}
