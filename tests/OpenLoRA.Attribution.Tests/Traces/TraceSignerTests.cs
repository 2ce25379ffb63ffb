using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;
using OpenLoRA.Attribution.Traces;
using static OpenLoRA.Attribution.Tests.TestData;

namespace OpenLoRA.Attribution.Tests.Traces;

public sealed class TraceSignerTests
{
    private static readonly TraceSigner s_signer = TraceSigner.FromPrivateKey(TraceFixtures.PrivateKey);

    [Fact]
    public void FromPrivateKey_KnownKey_DerivesKnownAddress()
    {
        Assert.Equal(TraceFixtures.PrivateKeyAddress, s_signer.Address);
        Assert.Equal(TraceFixtures.PrivateKeyAddress, TraceSigner.FromPrivateKey(TraceFixtures.PrivateKey[2..]).Address);
    }

    [Fact]
    public void Sign_ThenVerify_RecoversSigner()
    {
        SignedAttributionTrace signed = s_signer.Sign(TraceFixtures.Sample());
        Assert.Equal(TraceEncoder.HashHex(signed.Trace), signed.TraceHash);
        Assert.Matches("^0x[0-9a-f]{130}$", signed.Signature);
        Assert.Equal(TraceFixtures.PrivateKeyAddress, signed.Signer);
        Assert.True(TraceVerifier.Verify(signed));
        Assert.Equal(TraceFixtures.PrivateKeyAddress, TraceVerifier.RecoverSigner(signed.Trace, signed.Signature), ignoreCase: true);
        Assert.True(TraceVerifier.Verify(signed.Trace, signed.Signature, TraceFixtures.PrivateKeyAddress.ToLowerInvariant()));
    }

    [Fact]
    public void Sign_SameTrace_Deterministic()
    {
        // RFC 6979 nonces: the same key and hash always give the same signature.
        Assert.Equal(s_signer.Sign(TraceFixtures.Sample()).Signature, s_signer.Sign(TraceFixtures.Sample()).Signature);
    }

    [Fact]
    public void Verify_TamperedCharge_Fails()
    {
        SignedAttributionTrace signed = s_signer.Sign(TraceFixtures.Sample());
        SignedAttributionTrace tampered = signed with { Trace = signed.Trace with { Charge = new TraceCharge("1", "OPEN") } };
        Assert.False(TraceVerifier.Verify(tampered));
        Assert.False(TraceVerifier.Verify(tampered.Trace, signed.Signature, signed.Signer));
    }

    [Fact]
    public void Verify_OtherSigner_Fails()
    {
        SignedAttributionTrace signed = s_signer.Sign(TraceFixtures.Sample());
        Assert.False(TraceVerifier.Verify(signed with { Signer = Bob }));
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("")]
    [InlineData("zz")]
    public void RecoverSigner_MalformedSignature_ReturnsNull(string signature)
    {
        Assert.Null(TraceVerifier.RecoverSigner(TraceFixtures.Sample(), signature));
    }

    [Fact]
    public void RecoverSigner_BadRecoveryByte_ReturnsNull()
    {
        string signature = s_signer.Sign(TraceFixtures.Sample()).Signature;
        Assert.Null(TraceVerifier.RecoverSigner(TraceFixtures.Sample(), signature[..^2] + "05"));
    }

    [Fact]
    public void Sign_WithoutCharge_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => s_signer.Sign(TraceFixtures.Sample() with { Charge = null }));
    }

    [Fact]
    public void ToString_ShowsAddressNotKey()
    {
        string text = s_signer.ToString();
        Assert.Contains(TraceFixtures.PrivateKeyAddress, text);
        Assert.DoesNotContain(TraceFixtures.PrivateKey[2..12], text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("zz0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")]
    public void FromPrivateKey_Invalid_ThrowsWithoutEchoingKey(string key)
    {
        var e = Assert.Throws<ArgumentException>(() => TraceSigner.FromPrivateKey(key));
        Assert.DoesNotContain(key, e.Message);
    }

    private static string Keystore(string password)
    {
        byte[] key = Convert.FromHexString(TraceFixtures.PrivateKey[2..]);
        // Small scrypt cost keeps the test fast; production keystores use the default N = 2^18.
        return new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(password, key, TraceFixtures.PrivateKeyAddress,
            new ScryptParams { N = 1024, R = 8, P = 1, Dklen = 32 });
    }

    [Fact]
    public void FromKeystoreFile_RightPassword_SignsAsKeyAddress()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("key.json"), Keystore("pw"));
        TraceSigner signer = TraceSigner.FromKeystoreFile(dir.File("key.json"), "pw");
        Assert.Equal(TraceFixtures.PrivateKeyAddress, signer.Address);
        Assert.Equal(s_signer.Sign(TraceFixtures.Sample()).Signature, signer.Sign(TraceFixtures.Sample()).Signature);
    }

    [Fact]
    public void FromKeystoreJson_WrongPassword_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => TraceSigner.FromKeystoreJson(Keystore("pw"), "nope"));
        Assert.Throws<InvalidOperationException>(() => TraceSigner.FromKeystoreJson("{\"not\":\"a keystore\"}", "pw"));
    }
}
