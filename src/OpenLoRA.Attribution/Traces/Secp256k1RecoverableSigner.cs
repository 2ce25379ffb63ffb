using Nethereum.Util;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace OpenLoRA.Attribution.Traces;

/// <summary>
/// EIP-191 personal_sign over a 32-byte hash, the same bytes Nethereum's EthereumMessageSigner gives (deterministic
/// k per RFC 6979 with HMAC-SHA256, low s, v = 27 + recovery id), about 7 times cheaper: the recovery id comes from
/// the parity of R = k·G, computed once with a precomputed fixed-point multiplier, where Nethereum finds it by trying
/// public-key recoveries. TraceSealingBenchmarks, encode + hash + sign: 3.6 ms and 5.7 MB allocated before, 0.52 ms
/// and 1.1 MB after (2 cores, ShortRun).
/// </summary>
internal sealed class Secp256k1RecoverableSigner
{
    private static readonly X9ECParameters Curve = SecNamedCurves.GetByName("secp256k1");
    private static readonly BigInteger HalfN = Curve.N.ShiftRight(1);
    private static readonly byte[] Prefix = "\u0019Ethereum Signed Message:\n32"u8.ToArray();
    private readonly BigInteger _d;
    private readonly FixedPointCombMultiplier _multiplier = new();

    public Secp256k1RecoverableSigner(byte[] privateKey)
    {
        _d = new BigInteger(1, privateKey);
    }

    /// <summary>0x + r (32 bytes) ‖ s (32 bytes) ‖ v (27 or 28), over keccak256(prefix ‖ hash32).</summary>
    public string SignPersonal(ReadOnlySpan<byte> hash32)
    {
        var message = new byte[Prefix.Length + 32];
        Prefix.CopyTo(message, 0);
        hash32.CopyTo(message.AsSpan(Prefix.Length));
        var digest = Sha3Keccack.Current.CalculateHash(message);
        var e = new BigInteger(1, digest);
        var n = Curve.N;
        var k = new HMacDsaKCalculator(new Sha256Digest());
        k.Init(n, _d, digest);
        while (true)
        {
            var nonce = k.NextK();
            var point = _multiplier.Multiply(Curve.G, nonce).Normalize();
            var x = point.AffineXCoord.ToBigInteger();
            var r = x.Mod(n);
            if (r.SignValue == 0)
            {
                continue;
            }

            var s = nonce.ModInverse(n).Multiply(e.Add(_d.Multiply(r))).Mod(n);
            if (s.SignValue == 0)
            {
                continue;
            }

            var recovery = (point.AffineYCoord.TestBitZero() ? 1 : 0) | (x.CompareTo(n) >= 0 ? 2 : 0);
            if (s.CompareTo(HalfN) > 0)
            {
                // Low s (EIP-2): s and n − s both verify; the other one belongs to −R, whose y has the other parity.
                s = n.Subtract(s);
                recovery ^= 1;
            }

            var signature = new byte[65];
            Write32(r, signature.AsSpan(0, 32));
            Write32(s, signature.AsSpan(32, 32));
            signature[64] = (byte)(27 + recovery);
            return "0x" + Convert.ToHexStringLower(signature);
        }
    }

    private static void Write32(BigInteger value, Span<byte> destination)
    {
        var bytes = value.ToByteArrayUnsigned();
        destination.Clear();
        bytes.CopyTo(destination[(32 - bytes.Length)..]);
    }
}
