using BenchmarkDotNet.Attributes;
using OpenLoRA.Attribution.Merkle;
using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Attribution.Traces;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// Per-trace cost of sealing: the canonical encoding of a realistic trace (4 spans, 5 contributors, charge set),
/// encoding + keccak256, and the full <see cref="TraceSigner.Sign"/> (encoding + keccak256 + EIP-191 secp256k1
/// signature); then the Merkle tree over a batch of 256 or 4,096 trace hashes and one leaf's proof. Traces sealed
/// per second = 1 / (Sign + Build(n) / n).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class TraceSealingBenchmarks
{
    private const int Seed = 42;
    private const int SmallBatch = 256;
    private const int LargeBatch = 4_096;
    private AttributionTrace? _trace;
    private TraceSigner? _signer;
    private byte[][] _hashes = [];
    private byte[][] _smallHashes = [];
    private MerkleTree? _smallTree;
    private MerkleTree? _largeTree;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(Seed);
        _signer = TraceSigner.FromPrivateKey(Hex(random, 32));
        var contributors = SyntheticDatanet.Contributors(Seed);
        _trace = new AttributionTrace
        {
            TraceId = Hex(random, 16)[2..],
            CreatedAtUnixMs = 1_767_225_600_000,
            BaseModelHash = Hex(random, 32),
            AdapterSha256 = Hex(random, 32),
            Publisher = Hex(random, 20),
            DatanetRoot = Hex(random, 32),
            RequestHash = Hex(random, 32),
            GeneratedTokensHash = Hex(random, 32),
            PromptTokens = 184,
            CompletionTokens = 256,
            Method = SpanAttributor.MethodName,
            Parameters = new AttributionParameters(),
            Basis = AttributionBasis.Spans,
            Spans =
            [
                new AttributedSpan(12, 23, 1, ["rec-004211"], 23UL * 1_524_629),
                new AttributedSpan(57, 9, 3, ["rec-000877", "rec-010342", "rec-017005"], 9UL * 1_420_784),
                new AttributedSpan(120, 31, 1, ["rec-013390"], 31UL * 1_524_629),
                new AttributedSpan(201, 14, 2, ["rec-002468", "rec-019731"], 14UL * 1_459_092),
            ],
            Contributors =
            [
                new ContributorShare(contributors[17], 412_345),
                new ContributorShare(contributors[3], 251_000),
                new ContributorShare(contributors[88], 180_655),
                new ContributorShare(contributors[142], 100_000),
                new ContributorShare(contributors[199], 56_000),
            ],
            Charge = new TraceCharge("1250000000000000", "OPEN"),
        };

        _hashes = new byte[LargeBatch][];
        for (var i = 0; i < _hashes.Length; i++)
        {
            _hashes[i] = new byte[32];
            random.NextBytes(_hashes[i]);
        }

        _smallHashes = _hashes[..SmallBatch];
        _smallTree = MerkleTree.Build(_smallHashes);
        _largeTree = MerkleTree.Build(_hashes);
    }

    [Benchmark]
    public byte[] Encode() => TraceEncoder.Encode(_trace!);

    [Benchmark]
    public byte[] EncodeAndHash() => TraceEncoder.Hash(_trace!);

    [Benchmark]
    public SignedAttributionTrace EncodeHashSign() => _signer!.Sign(_trace!);

    [Benchmark]
    public MerkleTree BuildTree256() => MerkleTree.Build(_smallHashes);

    [Benchmark]
    public MerkleTree BuildTree4096() => MerkleTree.Build(_hashes);

    [Benchmark]
    public IReadOnlyList<byte[]> Proof256() => _smallTree!.GetProof(_smallHashes[SmallBatch / 2]);

    [Benchmark]
    public IReadOnlyList<byte[]> Proof4096() => _largeTree!.GetProof(_hashes[LargeBatch / 2]);

    private static string Hex(Random random, int bytes)
    {
        var buffer = new byte[bytes];
        random.NextBytes(buffer);
        return "0x" + Convert.ToHexStringLower(buffer);
    }
}
