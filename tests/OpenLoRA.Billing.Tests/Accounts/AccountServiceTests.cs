using Nethereum.Signer;
using OpenLoRA.Billing.Accounts;

namespace OpenLoRA.Billing.Tests.Accounts;

public sealed class AccountServiceTests : IDisposable
{
    private readonly TestBilling _billing = new();
    private readonly EthECKey _key = EthECKey.GenerateKey();

    public void Dispose() => _billing.Dispose();

    private static string Sign(string message, EthECKey key) => new EthereumMessageSigner().EncodeUTF8AndSign(message, key);

    [Fact]
    public async Task RedeemChallenge_GoodSignature_IssuesKeyThatAuthenticates()
    {
        string address = _key.GetPublicAddress();
        LoginChallenge challenge = await _billing.Accounts.CreateChallengeAsync(address);

        IssuedApiKey issued = await _billing.Accounts.RedeemChallengeAsync(address, challenge.Id, Sign(challenge.Message, _key));

        Assert.StartsWith("olk_", issued.ApiKey, StringComparison.Ordinal);
        Assert.Equal(address.ToLowerInvariant(), issued.Address);
        Assert.Contains(issued.Address, challenge.Message, StringComparison.Ordinal);
        Assert.Contains(challenge.Id, challenge.Message, StringComparison.Ordinal);
        AuthenticatedAccount? account = await _billing.Accounts.AuthenticateAsync(issued.ApiKey);
        Assert.Equal(new AuthenticatedAccount(issued.Address, issued.KeyId), account);
        Assert.NotNull(await _billing.Ledger.GetAccountAsync(address));
    }

    [Fact]
    public async Task RedeemChallenge_WrongSigner_BadSignatureAndChallengeStillUsable()
    {
        string address = _key.GetPublicAddress();
        LoginChallenge challenge = await _billing.Accounts.CreateChallengeAsync(address);

        var e = await Assert.ThrowsAsync<ChallengeRejectedException>(() =>
            _billing.Accounts.RedeemChallengeAsync(address, challenge.Id, Sign(challenge.Message, EthECKey.GenerateKey())));
        Assert.Equal(ChallengeRejection.BadSignature, e.Reason);

        await _billing.Accounts.RedeemChallengeAsync(address, challenge.Id, Sign(challenge.Message, _key));
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("not hex at all")]
    [InlineData("")]
    public async Task RedeemChallenge_MalformedSignature_BadSignature(string signature)
    {
        string address = _key.GetPublicAddress();
        LoginChallenge challenge = await _billing.Accounts.CreateChallengeAsync(address);

        var e = await Assert.ThrowsAsync<ChallengeRejectedException>(() =>
            _billing.Accounts.RedeemChallengeAsync(address, challenge.Id, signature));
        Assert.Equal(ChallengeRejection.BadSignature, e.Reason);
    }

    [Fact]
    public async Task RedeemChallenge_SignatureOverOtherText_BadSignature()
    {
        string address = _key.GetPublicAddress();
        LoginChallenge challenge = await _billing.Accounts.CreateChallengeAsync(address);

        var e = await Assert.ThrowsAsync<ChallengeRejectedException>(() =>
            _billing.Accounts.RedeemChallengeAsync(address, challenge.Id, Sign(challenge.Message + " ", _key)));
        Assert.Equal(ChallengeRejection.BadSignature, e.Reason);
    }

    [Fact]
    public async Task RedeemChallenge_AfterLifetime_Expired()
    {
        string address = _key.GetPublicAddress();
        LoginChallenge challenge = await _billing.Accounts.CreateChallengeAsync(address);
        _billing.Time.Advance(TimeSpan.FromMinutes(5));

        var e = await Assert.ThrowsAsync<ChallengeRejectedException>(() =>
            _billing.Accounts.RedeemChallengeAsync(address, challenge.Id, Sign(challenge.Message, _key)));
        Assert.Equal(ChallengeRejection.Expired, e.Reason);
    }

    [Fact]
    public async Task RedeemChallenge_JustBeforeExpiry_Succeeds()
    {
        string address = _key.GetPublicAddress();
        LoginChallenge challenge = await _billing.Accounts.CreateChallengeAsync(address);
        _billing.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));

        await _billing.Accounts.RedeemChallengeAsync(address, challenge.Id, Sign(challenge.Message, _key));
    }

    [Fact]
    public async Task RedeemChallenge_Twice_SecondIsUsed()
    {
        string address = _key.GetPublicAddress();
        LoginChallenge challenge = await _billing.Accounts.CreateChallengeAsync(address);
        string signature = Sign(challenge.Message, _key);
        await _billing.Accounts.RedeemChallengeAsync(address, challenge.Id, signature);

        var e = await Assert.ThrowsAsync<ChallengeRejectedException>(() =>
            _billing.Accounts.RedeemChallengeAsync(address, challenge.Id, signature));
        Assert.Equal(ChallengeRejection.Used, e.Reason);
    }

    [Fact]
    public async Task RedeemChallenge_ConcurrentRedeems_ExactlyOneKey()
    {
        string address = _key.GetPublicAddress();
        LoginChallenge challenge = await _billing.Accounts.CreateChallengeAsync(address);
        string signature = Sign(challenge.Message, _key);

        Task<IssuedApiKey>[] attempts = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => _billing.Accounts.RedeemChallengeAsync(address, challenge.Id, signature)))
            .ToArray();
        await Task.WhenAll(attempts.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.Equal(1, attempts.Count(t => t.IsCompletedSuccessfully));
        Assert.All(attempts.Where(t => t.IsFaulted), t =>
            Assert.Equal(ChallengeRejection.Used, Assert.IsType<ChallengeRejectedException>(t.Exception!.InnerException).Reason));
        Assert.Single(await _billing.Accounts.ListKeysAsync(address));
    }

    [Fact]
    public async Task RedeemChallenge_UnknownIdOrOtherAddress_Unknown()
    {
        string address = _key.GetPublicAddress();
        LoginChallenge challenge = await _billing.Accounts.CreateChallengeAsync(address);
        EthECKey other = EthECKey.GenerateKey();

        var unknown = await Assert.ThrowsAsync<ChallengeRejectedException>(() =>
            _billing.Accounts.RedeemChallengeAsync(address, "ch_nope", Sign(challenge.Message, _key)));
        var otherAddress = await Assert.ThrowsAsync<ChallengeRejectedException>(() =>
            _billing.Accounts.RedeemChallengeAsync(other.GetPublicAddress(), challenge.Id, Sign(challenge.Message, other)));

        Assert.Equal(ChallengeRejection.Unknown, unknown.Reason);
        Assert.Equal(ChallengeRejection.Unknown, otherAddress.Reason);
    }

    [Fact]
    public async Task RevokeKey_ByOwner_KeyStopsAuthenticatingOthersStillWork()
    {
        string address = _key.GetPublicAddress();
        IssuedApiKey first = await SignInAsync(_key);
        IssuedApiKey second = await SignInAsync(_key);

        Assert.True(await _billing.Accounts.RevokeKeyAsync(address, first.KeyId));

        Assert.Null(await _billing.Accounts.AuthenticateAsync(first.ApiKey));
        Assert.Equal(second.KeyId, (await _billing.Accounts.AuthenticateAsync(second.ApiKey))!.KeyId);
        Assert.False(await _billing.Accounts.RevokeKeyAsync(address, first.KeyId));
        IReadOnlyList<ApiKeyInfo> keys = await _billing.Accounts.ListKeysAsync(address);
        Assert.Equal(2, keys.Count);
        Assert.NotNull(keys.Single(k => k.KeyId == first.KeyId).RevokedAt);
    }

    [Fact]
    public async Task RevokeKey_ByOtherAccount_Refused()
    {
        IssuedApiKey issued = await SignInAsync(_key);

        Assert.False(await _billing.Accounts.RevokeKeyAsync(TestBilling.Address(7), issued.KeyId));
        Assert.NotNull(await _billing.Accounts.AuthenticateAsync(issued.ApiKey));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("olk_short")]
    [InlineData("sk-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Authenticate_UnknownOrMalformedKey_Null(string? apiKey)
    {
        await SignInAsync(_key);

        Assert.Null(await _billing.Accounts.AuthenticateAsync(apiKey));
    }

    [Fact]
    public async Task Authenticate_WellFormedButNeverIssued_Null()
    {
        await SignInAsync(_key);

        Assert.Null(await _billing.Accounts.AuthenticateAsync("olk_" + new string('A', 43)));
    }

    [Fact]
    public async Task Authenticate_AfterRestart_KeyStillValid()
    {
        IssuedApiKey issued = await SignInAsync(_key);
        using TestBilling restarted = _billing.Reopen();

        Assert.Equal(issued.Address, (await restarted.Accounts.AuthenticateAsync(issued.ApiKey))!.Address);
    }

    private async Task<IssuedApiKey> SignInAsync(EthECKey key)
    {
        LoginChallenge challenge = await _billing.Accounts.CreateChallengeAsync(key.GetPublicAddress());
        return await _billing.Accounts.RedeemChallengeAsync(key.GetPublicAddress(), challenge.Id, Sign(challenge.Message, key));
    }
}
