using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Attribution.Traces;
using static OpenLoRA.Attribution.Tests.TestData;

namespace OpenLoRA.Attribution.Tests.Traces;

internal static class TraceFixtures
{
    // A well-known development key (anvil/hardhat account #0); never used for real funds.
    public const string PrivateKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    public const string PrivateKeyAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    public static AttributionTrace Sample() => new()
    {
        TraceId = "0123456789abcdef0123456789abcdef",
        CreatedAtUnixMs = 1_700_000_000_123,
        BaseModelHash = "0x" + new string('A', 64),
        AdapterSha256 = "0x" + new string('b', 64),
        Publisher = Alice,
        DatanetRoot = "0x" + new string('c', 64),
        RequestHash = "0x" + new string('d', 64),
        GeneratedTokensHash = "0x" + new string('e', 64),
        PromptTokens = 12,
        CompletionTokens = 34,
        Method = SpanAttributor.MethodName,
        Parameters = new AttributionParameters(),
        Basis = AttributionBasis.Spans,
        Spans = [new AttributedSpan(3, 7, 2, ["r\"1", "r2"], 12345)],
        Contributors = [new ContributorShare(Bob, 600_000), new ContributorShare(Alice, 400_000)],
        Charge = new TraceCharge("1500000000000000000", "OPEN"),
    };
}
