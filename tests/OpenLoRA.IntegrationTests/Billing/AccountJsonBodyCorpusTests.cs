using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Billing;

/// <summary>
/// The malformed-body corpus (<see cref="MalformedJsonCorpus"/>) against the JSON endpoints of accounts, on the real
/// server with billing on: 400 in OpenAI's shape naming the field, never a .NET type in the message.
/// </summary>
[Collection(BillingServerCollection.Name)]
public sealed class AccountJsonBodyCorpusTests(BillingServerFixture server)
{
    private const string Address = "0x00000000000000000000000000000000000000a1";

    [Fact]
    public async Task PostChallenge_MalformedBodyCorpus_AllAnswer400WithoutInternals()
    {
        var corpus = MalformedJsonCorpus.For($$"""{"address":"{{Address}}"}""", [new("address", JsonKind.String, Required: true)]);

        var failures = await MalformedBodyAssert.FailuresAsync(server.Http, "/v1/accounts/challenge", corpus);

        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count}:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    [Fact]
    public async Task PostAccounts_MalformedBodyCorpus_AllAnswer400WithoutInternals()
    {
        var corpus = MalformedJsonCorpus.For(
            $$"""{"address":"{{Address}}","challenge_id":"chal_1","signature":"0x00"}""",
            [new("address", JsonKind.String, Required: true), new("challenge_id", JsonKind.String, Required: true), new("signature", JsonKind.String, Required: true)]);

        var failures = await MalformedBodyAssert.FailuresAsync(server.Http, "/v1/accounts", corpus);

        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count}:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }
}
