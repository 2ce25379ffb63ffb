using System.Security.Cryptography;
using Nethereum.Signer;
using OpenLoRA.Attribution.Traces;

namespace OpenLoRA.Attribution.Tests.Traces;

/// <summary>The fast signer against Nethereum's reference personal_sign: the same bytes, and the signer recovers.</summary>
public sealed class TraceSignerCompatibilityTests
{
    [Fact]
    public void SignHash_ManyKeysAndHashes_EqualsNethereumsPersonalSignByteForByte()
    {
        var reference = new EthereumMessageSigner();
        var random = new Random(2026);
        for (var i = 0; i < 200; i++)
        {
            var keyBytes = new byte[32];
            random.NextBytes(keyBytes);
            keyBytes[0] &= 0x7f;
            keyBytes[31] |= 1;
            var key = new EthECKey(keyBytes, isPrivate: true);
            var hash = new byte[32];
            random.NextBytes(hash);
            var signer = TraceSigner.FromPrivateKey(Convert.ToHexString(keyBytes));

            var ours = signer.SignHash(hash);

            Assert.Equal(reference.Sign(hash, key).ToLowerInvariant(), ours);
            Assert.Equal(key.GetPublicAddress().ToLowerInvariant(), TraceVerifier.RecoverHashSigner(hash, ours)!.ToLowerInvariant());
        }
    }

    [Fact]
    public void SignHash_HashesWithHighSAndOverflowingNonces_StillRecoverTheSigner()
    {
        var key = EthECKey.GenerateKey();
        var signer = TraceSigner.FromPrivateKey(key.GetPrivateKey());
        for (var i = 0; i < 500; i++)
        {
            var hash = RandomNumberGenerator.GetBytes(32);
            var signature = signer.SignHash(hash);

            Assert.Equal(132, signature.Length);
            Assert.Contains(signature[^2..], new[] { "1b", "1c" });
            Assert.Equal(key.GetPublicAddress(), TraceVerifier.RecoverHashSigner(hash, signature), StringComparer.OrdinalIgnoreCase);
        }
    }
}
