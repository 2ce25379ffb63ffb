using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenLoRA.Attribution.Datanets;
using OpenLoRA.Attribution.Merkle;
using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Engine.Tokens;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Cli.Tests.Verification;

/// <summary>
/// Real inputs built with the library, shared by the verify tests: the tiny model, a three-record Datanet and its
/// index, a completion that copies two records' token runs, and a fake server on loopback. Each test asks for a
/// fresh honest trace (new id, signed, sealed with two other hashes into a Merkle batch) and tampers with it.
/// </summary>
public sealed class VerifyFixture : IAsyncLifetime
{
    /// <summary>anvil's first dev account key; only ever signs test traces.</summary>
    public const string ServerKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    /// <summary>anvil's second dev account key: a signer nobody trusts.</summary>
    public const string OtherKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    private const string Alice = "0x1111111111111111111111111111111111111111";
    private const string Bob = "0x2222222222222222222222222222222222222222";

    private static readonly (string Id, string Contributor, string Text)[] Records =
    [
        ("fox", Alice, "The quick brown fox jumps over the lazy dog near the river bank at dawn."),
        ("pay", Bob, "Attribution pays the people whose data shaped the answer, token by token."),
        ("boat", Alice, "An unrelated record about sailing boats in a storm."),
    ];

    private readonly TraceSigner _signer = TraceSigner.FromPrivateKey(ServerKey);
    private DatanetIndex? _index;
    private FakeTraceServer? _server;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "openlora-cli-tests-" + Guid.NewGuid().ToString("N"));

    public string ModelPath { get; private set; } = "";

    public string DatanetPath { get; private set; } = "";

    /// <summary>The same Datanet with one record's text changed by one word.</summary>
    public string ChangedDatanetPath { get; private set; } = "";

    public string DatanetRoot { get; private set; } = "";

    public int[] Completion { get; private set; } = [];

    public string SignerAddress => _signer.Address;

    public FakeTraceServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        ModelPath = TestModelGenerator.EnsureTinyModels(Path.Combine(Directory, "models")).BaseModelPath;
        DatanetPath = WriteJsonl("datanet.jsonl", Records);
        ChangedDatanetPath = WriteJsonl(
            "changed.jsonl",
            Records.Select(r => r.Id == "boat" ? (r.Id, r.Contributor, r.Text.Replace("storm", "calm", StringComparison.Ordinal)) : r).ToArray());

        using (var tokenizer = DatanetTokenizer.Open(ModelPath))
        {
            var tokenized = Records.Select(r => new TokenizedRecord(r.Id, r.Contributor, tokenizer.Tokenize(r.Text))).ToList();
            var summary = DatanetIndexWriter.Write(Path.Combine(Directory, "datanet.idx"), tokenized);
            DatanetRoot = summary.Root;
            _index = DatanetIndex.Open(summary.Path);

            // Copies a run from inside "fox" and the start of "pay", between words found in neither.
            Completion =
            [
                .. tokenizer.Tokenize("Well, I think "),
                .. tokenized[0].Tokens[3..15],
                .. tokenizer.Tokenize(" so "),
                .. tokenized[1].Tokens[..10],
            ];
        }

        _server = await FakeTraceServer.StartAsync();
    }

    /// <summary>An honest trace, signed and sealed into batch 7 with two other traces.</summary>
    public ServedTrace CreateHonest() => Create(result => result);

    /// <summary>
    /// A trace whose attribution result passes through <paramref name="lie"/> before the server hashes, signs and
    /// batches it: everything but the re-run checks out, as when the server itself is dishonest.
    /// </summary>
    public ServedTrace Create(Func<AttributionResult, AttributionResult> lie)
    {
        var attribution = lie(new SpanAttributor(new AttributionParameters()).Attribute(Completion, _index));
        var trace = new AttributionTrace
        {
            TraceId = TraceIds.New(),
            CreatedAtUnixMs = 1_760_000_000_000,
            BaseModelHash = "0x" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(ModelPath))),
            AdapterSha256 = "0x" + new string('a', 64),
            Publisher = "0x3333333333333333333333333333333333333333",
            DatanetRoot = DatanetRoot,
            RequestHash = TraceHashes.Request("{\"model\":\"tiny-attn-r4\"}"u8),
            GeneratedTokensHash = TraceHashes.Tokens(Completion),
            PromptTokens = 12,
            CompletionTokens = Completion.Length,
            Method = attribution.Method,
            Parameters = attribution.Parameters,
            Basis = attribution.Basis,
            Spans = attribution.Spans,
            Contributors = attribution.Contributors,
            Charge = new TraceCharge("1250000000000000", "OPEN"),
        };
        var signed = _signer.Sign(trace);
        var hash = Convert.FromHexString(signed.TraceHash.AsSpan(2));
        var tree = MerkleTree.Build([hash, SHA256.HashData("other trace 1"u8), SHA256.HashData("other trace 2"u8)]);
        return new ServedTrace
        {
            Id = trace.TraceId,
            Canonical = Encoding.UTF8.GetString(TraceEncoder.Encode(trace)),
            TraceHash = signed.TraceHash,
            Signature = signed.Signature,
            Signer = signed.Signer,
            CompletionTokenIds = (int[])Completion.Clone(),
            Batch = new BatchProof(7, tree.RootHex, Hex(MerkleTree.LeafHash(hash)), tree.GetProof(hash).Select(Hex).ToArray()),
        };
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _index?.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    private string WriteJsonl(string name, IEnumerable<(string Id, string Contributor, string Text)> records)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllLines(path, records.Select(r => JsonSerializer.Serialize(new { id = r.Id, contributor = r.Contributor, text = r.Text })));
        return path;
    }
}
