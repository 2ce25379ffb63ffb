using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server.RealServer;

/// <summary>
/// The malformed-body corpus (<see cref="MalformedJsonCorpus"/>) against both generation endpoints of the real
/// server: every body gets 400 in OpenAI's shape naming the field, and no message names a .NET type.
/// </summary>
[Collection(RealServerCollection.Name)]
public sealed class JsonBodyCorpusRealServerTests(SmallContextServerFixture server)
{
    private static readonly JsonField[] Shared =
    [
        new("model", JsonKind.String, Required: true),
        new("max_tokens", JsonKind.Integer),
        new("temperature", JsonKind.Number),
        new("top_p", JsonKind.Number),
        new("top_k", JsonKind.Integer),
        new("min_p", JsonKind.Number),
        new("seed", JsonKind.Integer),
        new("ignore_eos", JsonKind.Boolean),
        new("frequency_penalty", JsonKind.Number),
        new("presence_penalty", JsonKind.Number),
        new("stop", JsonKind.StringOrStrings),
        new("n", JsonKind.Integer),
        new("stream", JsonKind.Boolean),
        new("stream_options", JsonKind.Object),
        new("user", JsonKind.String),
    ];

    [Fact]
    public async Task PostChatCompletions_MalformedBodyCorpus_AllAnswer400WithoutInternals()
    {
        var corpus = MalformedJsonCorpus.For(
            $$"""{"model":"{{TestModels.BaseModel}}","messages":[{"role":"user","content":"hi"}],"max_tokens":1}""",
            [.. Shared, new("messages", JsonKind.ArrayOfObjects, Required: true), new("max_completion_tokens", JsonKind.Integer)]);

        var failures = await MalformedBodyAssert.FailuresAsync(server.Http, "/v1/chat/completions", corpus);

        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count}:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    [Fact]
    public async Task PostCompletions_MalformedBodyCorpus_AllAnswer400WithoutInternals()
    {
        var corpus = MalformedJsonCorpus.For(
            $$"""{"model":"{{TestModels.BaseModel}}","prompt":"hi","max_tokens":1}""",
            [.. Shared, new("prompt", JsonKind.String, Required: true)]);

        var failures = await MalformedBodyAssert.FailuresAsync(server.Http, "/v1/completions", corpus);

        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count}:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }
}
