using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Cli.Verification;
using Spectre.Console;

namespace OpenLoRA.Cli.Tests.Verification;

public sealed class VerifyRunnerTests(VerifyFixture fixture) : IClassFixture<VerifyFixture>
{
    [Fact]
    public async Task RunAsync_HonestTraceWithDatanet_AllChecksPass()
    {
        var trace = fixture.CreateHonest();
        fixture.Server.Publish(trace);

        var (exitCode, output, checks) = await VerifyAsync(trace.Id, withDatanet: true, signer: fixture.SignerAddress);

        Assert.Equal(0, exitCode);
        Assert.All(checks.Where(c => c.Check != "chain"), c => Assert.True(c.Verdict == Verdict.Pass, $"{c.Check}: {c.Verdict} {c.Detail}"));
        Assert.Equal(["hash", "canonical", "trace id", "signature", "tokens", "merkle", "datanet", "attribution", "chain"], checks.Select(c => c.Check));
        Assert.Contains("PASS", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixture_HonestTrace_CreditsSpansFromBothContributors()
    {
        // Guards the other tests: the attribution re-run is only meaningful if the completion really matched.
        var trace = fixture.CreateHonest();

        var parsed = CanonicalTraceReader.Read(trace.Canonical);

        Assert.Equal(AttributionBasis.Spans, parsed.Basis);
        Assert.True(parsed.Spans.Count >= 2);
        Assert.Equal(2, parsed.Contributors.Count);
    }

    [Fact]
    public async Task RunAsync_NoSignerGiven_PassesWithSelfDeclaredNote()
    {
        var trace = fixture.CreateHonest();
        fixture.Server.Publish(trace);

        var (exitCode, _, checks) = await VerifyAsync(trace.Id);

        Assert.Equal(0, exitCode);
        Assert.Contains("self-declared", Row(checks, "signature").Detail, StringComparison.Ordinal);
        Assert.Equal(Verdict.Skip, Row(checks, "datanet").Verdict);
        Assert.Equal(Verdict.Skip, Row(checks, "attribution").Verdict);
    }

    [Fact]
    public async Task RunAsync_NotBatchedButCommittedChainField_SkipsMerkleAndReportsChain()
    {
        var trace = fixture.CreateHonest();
        trace.Batch = null;
        trace.Chain = new JsonObject { ["tx_hash"] = "0x" + new string('b', 64), ["block"] = 42, ["status"] = "confirmed" };
        fixture.Server.Publish(trace);

        var (exitCode, _, checks) = await VerifyAsync(trace.Id);

        Assert.Equal(0, exitCode);
        Assert.Equal(Verdict.Skip, Row(checks, "merkle").Verdict);
        Assert.Contains("not yet batched", Row(checks, "merkle").Detail, StringComparison.Ordinal);
        Assert.Equal(Verdict.Info, Row(checks, "chain").Verdict);
        Assert.Contains("block 42", Row(checks, "chain").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CanonicalPpmTampered_FailsHashSignatureAndMerkle()
    {
        var trace = fixture.CreateHonest();
        var parsed = CanonicalTraceReader.Read(trace.Canonical);
        var (first, second) = (parsed.Contributors[0].Ppm, parsed.Contributors[1].Ppm);
        // Moves 1000 ppm from one contributor to the other, so the sum stays valid and only the hash betrays it.
        trace.Canonical = trace.Canonical
            .Replace($"\"ppm\":{first}", $"\"ppm\":{first - 1000}", StringComparison.Ordinal)
            .Replace($"\"ppm\":{second}", $"\"ppm\":{second + 1000}", StringComparison.Ordinal);
        fixture.Server.Publish(trace);

        var (exitCode, _, checks) = await VerifyAsync(trace.Id, withDatanet: true);

        Assert.Equal(1, exitCode);
        Assert.Equal(Verdict.Fail, Row(checks, "hash").Verdict);
        Assert.Equal(Verdict.Pass, Row(checks, "canonical").Verdict);
        Assert.Equal(Verdict.Fail, Row(checks, "signature").Verdict);
        Assert.Equal(Verdict.Fail, Row(checks, "merkle").Verdict);
        Assert.Equal(Verdict.Fail, Row(checks, "attribution").Verdict);
    }

    [Fact]
    public async Task RunAsync_ServerSignsWrongShares_FailsOnlyAttribution()
    {
        var trace = fixture.Create(result => result with
        {
            Contributors = [result.Contributors[0] with { Ppm = result.Contributors[0].Ppm - 1 }, result.Contributors[1] with { Ppm = result.Contributors[1].Ppm + 1 }],
        });
        fixture.Server.Publish(trace);

        var (exitCode, _, checks) = await VerifyAsync(trace.Id, withDatanet: true, signer: fixture.SignerAddress);

        Assert.Equal(1, exitCode);
        Assert.All(checks.Where(c => c.Check is not ("attribution" or "chain")), c => Assert.Equal(Verdict.Pass, c.Verdict));
        Assert.Equal(Verdict.Fail, Row(checks, "attribution").Verdict);
        Assert.StartsWith("contributor 0:", Row(checks, "attribution").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SignatureByAnotherKey_FailsSignature()
    {
        var trace = fixture.CreateHonest();
        var hash = Convert.FromHexString(trace.TraceHash.AsSpan(2));
        trace.Signature = OpenLoRA.Attribution.Traces.TraceSigner.FromPrivateKey(VerifyFixture.OtherKey).SignHash(hash);
        fixture.Server.Publish(trace);

        var (exitCode, _, checks) = await VerifyAsync(trace.Id);

        Assert.Equal(1, exitCode);
        Assert.Equal(Verdict.Fail, Row(checks, "signature").Verdict);
        Assert.Equal(Verdict.Pass, Row(checks, "hash").Verdict);
    }

    [Fact]
    public async Task RunAsync_ProofNodeTampered_FailsMerkle()
    {
        var trace = fixture.CreateHonest();
        var proof = trace.Batch!.Proof.ToArray();
        proof[0] = proof[0][..^1] + (proof[0][^1] == '0' ? '1' : '0');
        trace.Batch = trace.Batch with { Proof = proof };
        fixture.Server.Publish(trace);

        var (exitCode, _, checks) = await VerifyAsync(trace.Id);

        Assert.Equal(1, exitCode);
        Assert.Equal(Verdict.Fail, Row(checks, "merkle").Verdict);
        Assert.Contains("does not reach root", Row(checks, "merkle").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CompletionTokenTampered_FailsTokens()
    {
        var trace = fixture.CreateHonest();
        trace.CompletionTokenIds[^1] ^= 1;
        fixture.Server.Publish(trace);

        var (exitCode, _, checks) = await VerifyAsync(trace.Id);

        Assert.Equal(1, exitCode);
        Assert.Equal(Verdict.Fail, Row(checks, "tokens").Verdict);
    }

    [Fact]
    public async Task RunAsync_CompletionTokenDropped_FailsTokens()
    {
        var trace = fixture.CreateHonest();
        trace.CompletionTokenIds = trace.CompletionTokenIds[..^1];
        fixture.Server.Publish(trace);

        var (exitCode, _, checks) = await VerifyAsync(trace.Id);

        Assert.Equal(1, exitCode);
        Assert.Equal(Verdict.Fail, Row(checks, "tokens").Verdict);
    }

    [Fact]
    public async Task RunAsync_WrongSignerOption_FailsSignature()
    {
        var trace = fixture.CreateHonest();
        fixture.Server.Publish(trace);

        var (exitCode, _, checks) = await VerifyAsync(trace.Id, signer: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");

        Assert.Equal(1, exitCode);
        Assert.Equal(Verdict.Fail, Row(checks, "signature").Verdict);
        Assert.Contains("--signer", Row(checks, "signature").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DatanetRecordChanged_FailsDatanetRoot()
    {
        var trace = fixture.CreateHonest();
        fixture.Server.Publish(trace);

        var (exitCode, _, checks) = await VerifyAsync(trace.Id, datanet: fixture.ChangedDatanetPath);

        Assert.Equal(1, exitCode);
        Assert.Equal(Verdict.Fail, Row(checks, "datanet").Verdict);
        Assert.Equal(Verdict.Skip, Row(checks, "attribution").Verdict);
    }

    [Fact]
    public async Task RunAsync_UnknownTrace_ExitsTwoWithServerMessage()
    {
        var (exitCode, error) = await RunAsync(new VerifyArguments(new string('c', 32), fixture.Server.Url, null, null, null));

        Assert.Equal(2, exitCode);
        Assert.Contains("404", error, StringComparison.Ordinal);
        Assert.Contains("No trace", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnreachableServer_ExitsTwo()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exitCode, error) = await RunAsync(new VerifyArguments(new string('c', 32), $"http://127.0.0.1:{port}", null, null, null));

        Assert.Equal(2, exitCode);
        Assert.Contains("cannot reach", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MalformedReply_ExitsTwo()
    {
        var id = new string('d', 32);
        fixture.Server.PublishRaw(id, "{\"object\":\"attribution.trace\",");

        var (exitCode, error) = await RunAsync(new VerifyArguments(id, fixture.Server.Url, null, null, null));

        Assert.Equal(2, exitCode);
        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-trace-id", null, null, "not a trace id")]
    [InlineData("cccccccccccccccccccccccccccccccc", "0x123", null, "--signer")]
    [InlineData("cccccccccccccccccccccccccccccccc", null, "datanet.jsonl", "go together")]
    public async Task RunAsync_BadArguments_ExitsTwo(string traceId, string? signer, string? datanet, string message)
    {
        var (exitCode, error) = await RunAsync(new VerifyArguments(traceId, fixture.Server.Url, datanet, null, signer));

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, IReadOnlyList<CheckResult> Checks)> VerifyAsync(
        string traceId, bool withDatanet = false, string? signer = null, string? datanet = null)
    {
        var datanetPath = datanet ?? (withDatanet ? fixture.DatanetPath : null);
        var arguments = new VerifyArguments(traceId, fixture.Server.Url, datanetPath, datanetPath is null ? null : fixture.ModelPath, signer);
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await VerifyRunner.RunAsync(arguments, Console(output), error, CancellationToken.None);
        Assert.True(exitCode != 2, error.ToString());
        var report = await TraceVerification.VerifyAsync(arguments, CancellationToken.None);
        Assert.Equal(exitCode, report.ExitCode);
        return (exitCode, output.ToString(), report.Checks);
    }

    private static async Task<(int ExitCode, string Error)> RunAsync(VerifyArguments arguments)
    {
        var error = new StringWriter();
        var exitCode = await VerifyRunner.RunAsync(arguments, Console(new StringWriter()), error, CancellationToken.None);
        return (exitCode, error.ToString());
    }

    private static CheckResult Row(IReadOnlyList<CheckResult> checks, string name) => checks.Single(c => c.Check == name);

    private static IAnsiConsole Console(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;
        return console;
    }
}
