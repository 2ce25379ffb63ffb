using System.Text;
using Nethereum.Util;
using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Attribution.Traces;
using static OpenLoRA.Attribution.Tests.TestData;

namespace OpenLoRA.Attribution.Tests.Traces;

public sealed class TraceEncoderTests
{
    [Fact]
    public void Encode_SampleTrace_ExactCanonicalJson()
    {
        string expected =
            "{\"version\":1,\"traceId\":\"0123456789abcdef0123456789abcdef\",\"createdAtUnixMs\":1700000000123," +
            "\"baseModelHash\":\"0x" + new string('a', 64) + "\",\"adapterSha256\":\"0x" + new string('b', 64) + "\"," +
            "\"publisher\":\"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\",\"datanetRoot\":\"0x" + new string('c', 64) + "\"," +
            "\"requestHash\":\"0x" + new string('d', 64) + "\",\"generatedTokensHash\":\"0x" + new string('e', 64) + "\"," +
            "\"promptTokens\":12,\"completionTokens\":34," +
            "\"method\":{\"name\":\"span-match-v1\",\"minSpanTokens\":6,\"maxSpanTokens\":1024,\"maxOccurrencesPerSpan\":64,\"basis\":\"spans\"}," +
            "\"spans\":[{\"start\":3,\"length\":7,\"occurrences\":2,\"weight\":\"12345\",\"records\":[\"r\\\"1\",\"r2\"]}]," +
            "\"contributors\":[{\"address\":\"0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359\",\"ppm\":600000}," +
            "{\"address\":\"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\",\"ppm\":400000}]," +
            "\"charge\":{\"amount\":\"1500000000000000000\",\"currency\":\"OPEN\"}}";
        Assert.Equal(expected, Encoding.UTF8.GetString(TraceEncoder.Encode(TraceFixtures.Sample())));
    }

    [Fact]
    public void Encode_NullablesAbsent_WritesNull()
    {
        AttributionTrace trace = TraceFixtures.Sample() with { DatanetRoot = null, Charge = null, Spans = [], Contributors = [], Basis = AttributionBasis.None };
        string json = Encoding.UTF8.GetString(TraceEncoder.Encode(trace));
        Assert.Contains("\"datanetRoot\":null,", json);
        Assert.EndsWith("\"spans\":[],\"contributors\":[],\"charge\":null}", json);
        Assert.Contains("\"basis\":\"none\"", json);
    }

    [Fact]
    public void Hash_IsKeccakOfCanonicalBytes()
    {
        AttributionTrace trace = TraceFixtures.Sample();
        Assert.Equal(Sha3Keccack.Current.CalculateHash(TraceEncoder.Encode(trace)), TraceEncoder.Hash(trace));
        Assert.Equal("0x" + Convert.ToHexStringLower(TraceEncoder.Hash(trace)), TraceEncoder.HashHex(trace));
    }

    [Fact]
    public void Encode_AddressAndHashCase_DoesNotChangeBytes()
    {
        AttributionTrace trace = TraceFixtures.Sample();
        AttributionTrace recased = trace with
        {
            Publisher = Alice.ToLowerInvariant(),
            AdapterSha256 = "0X" + new string('B', 64),
            Contributors = [new ContributorShare(Bob.ToLowerInvariant(), 600_000), new ContributorShare(Alice, 400_000)],
        };
        Assert.Equal(TraceEncoder.Encode(trace), TraceEncoder.Encode(recased));
    }

    [Theory]
    [InlineData("charge")]
    [InlineData("ppm")]
    [InlineData("span")]
    [InlineData("created")]
    [InlineData("record")]
    public void Hash_AnyFieldChange_ChangesHash(string field)
    {
        AttributionTrace trace = TraceFixtures.Sample();
        AttributionTrace changed = field switch
        {
            "charge" => trace with { Charge = new TraceCharge("1500000000000000001", "OPEN") },
            "ppm" => trace with { Contributors = [new ContributorShare(Bob, 599_999), new ContributorShare(Alice, 400_001)] },
            "span" => trace with { Spans = [new AttributedSpan(4, 7, 2, ["r\"1", "r2"], 12345)] },
            "created" => trace with { CreatedAtUnixMs = trace.CreatedAtUnixMs + 1 },
            _ => trace with { Spans = [new AttributedSpan(3, 7, 2, ["r\"1", "r3"], 12345)] },
        };
        Assert.NotEqual(TraceEncoder.HashHex(trace), TraceEncoder.HashHex(changed));
    }

    [Fact]
    public void Encode_SpecialCharacters_JcsEscaping()
    {
        AttributionTrace trace = TraceFixtures.Sample() with { Spans = [new AttributedSpan(0, 6, 1, ["a\\b\n\t\u0001é😀/<"], 1)] };
        string json = Encoding.UTF8.GetString(TraceEncoder.Encode(trace));
        Assert.Contains("\"records\":[\"a\\\\b\\n\\t\\u0001é😀/<\"]", json);
    }

    [Fact]
    public void Encode_LoneSurrogate_Throws()
    {
        AttributionTrace trace = TraceFixtures.Sample() with { Spans = [new AttributedSpan(0, 6, 1, ["\ud800x"], 1)] };
        Assert.Throws<ArgumentException>(() => TraceEncoder.Encode(trace));
    }

    public static TheoryData<string> InvalidCases() =>
        ["traceId", "hash", "publisher", "root", "ppmSum", "ppmRange", "amount", "leadingZero", "currency", "negative", "span"];

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Encode_InvalidField_Throws(string kind)
    {
        AttributionTrace trace = TraceFixtures.Sample();
        AttributionTrace bad = kind switch
        {
            "traceId" => trace with { TraceId = "0123456789ABCDEF0123456789abcdef" },
            "hash" => trace with { RequestHash = "0x1234" },
            "publisher" => trace with { Publisher = "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" },
            "root" => trace with { DatanetRoot = "0x" + new string('g', 64) },
            "ppmSum" => trace with { Contributors = [new ContributorShare(Bob, 600_000)] },
            "ppmRange" => trace with { Contributors = [new ContributorShare(Bob, -1), new ContributorShare(Alice, 1_000_001)] },
            "amount" => trace with { Charge = new TraceCharge("1.5", "OPEN") },
            "leadingZero" => trace with { Charge = new TraceCharge("01", "OPEN") },
            "currency" => trace with { Charge = new TraceCharge("1", "") },
            "negative" => trace with { PromptTokens = -1 },
            _ => trace with { Spans = [new AttributedSpan(0, 0, 1, [], 0)] },
        };
        Assert.Throws<ArgumentException>(() => TraceEncoder.Encode(bad));
    }

    [Fact]
    public void Encode_ZeroCharge_Accepted()
    {
        string json = Encoding.UTF8.GetString(TraceEncoder.Encode(TraceFixtures.Sample() with { Charge = new TraceCharge("0", "OPEN") }));
        Assert.EndsWith("\"charge\":{\"amount\":\"0\",\"currency\":\"OPEN\"}}", json);
    }
}
