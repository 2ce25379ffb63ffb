using System.Net;
using System.Numerics;
using System.Text.Json;
using OpenLoRA.Gguf.TestModels;
using OpenLoRA.IntegrationTests.Billing;
using OpenLoRA.IntegrationTests.Infrastructure;
using static OpenLoRA.IntegrationTests.Adapters.Safety.AdapterSafetyServerFixture;

namespace OpenLoRA.IntegrationTests.Adapters.Safety;

/// <summary>
/// An adapter whose weights each pass the magnitude check but drive the logits to NaN: its output used to be token 0
/// repeated, streamed and billed. Now the step ends that sequence with <c>adapter_numerical_error</c> (500 whole, an
/// error event in a stream), nothing is charged, the others of the step carry on untouched, and an upload of such an
/// adapter is refused by its probe step. On both backends.
/// </summary>
[Collection(AdapterSafetyServerCollection.Name)]
public sealed class AdapterNumericalErrorTests(AdapterSafetyServerFixture ggml, LlamaSharpAdapterSafetyServerFixture llama)
{
    private const string Prompt = "Tell me a story about a lighthouse.";
    private const string NumericalError = "adapter_numerical_error";

    [Theory]
    [InlineData("ggml")]
    [InlineData("llamasharp")]
    public async Task Chat_ConfiguredAdapterWithNonFiniteLogits_EndsWithAdapterNumericalErrorAndChargesNothing(string backend)
    {
        var server = Server(backend);
        var user = await AdapterRankLimitTests.UserAsync(server, devAccount: 2);
        var before = await user.AccountAsync();

        using (var whole = await user.ChatAsync(Overflow, Prompt, maxTokens: 16))
        {
            var error = await ErrorAssert.IsErrorAsync(whole, HttpStatusCode.InternalServerError, code: NumericalError, type: "server_error");
            Assert.Contains($"'{Overflow}'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using (var stream = await user.ChatAsync(Overflow, Prompt, maxTokens: 16, stream: true))
        {
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            var events = await SseEvents.ReadDataAsync(stream);
            Assert.DoesNotContain(SseEvents.Done, events);
            var error = ErrorAssert.IsErrorObject(events[^1]);
            Assert.Equal((NumericalError, "server_error"), (error.GetProperty("code").GetString(), error.GetProperty("type").GetString()));
            Assert.All(events[..^1], e => Assert.Equal("chat.completion.chunk", JsonDocument.Parse(e).RootElement.GetProperty("object").GetString()));
            Assert.DoesNotContain(events[..^1], e => e.Contains("\"finish_reason\":\"", StringComparison.Ordinal));
        }

        var after = await user.AccountAsync();
        foreach (var field in new[] { "deposited", "balance", "spent", "settled" })
        {
            Assert.Equal(BillingApi.Units(before.GetProperty(field)), BillingApi.Units(after.GetProperty(field)));
        }

        Assert.Equal(BigInteger.Zero, BillingApi.Units(after.GetProperty("reserved")));
    }

    [Theory]
    [InlineData("ggml")]
    [InlineData("llamasharp")]
    public async Task Chat_BesideAnAdapterWithNonFiniteLogits_OtherSequencesGetWhatTheyGetAlone(string backend)
    {
        var server = Server(backend);
        var user = await AdapterRankLimitTests.UserAsync(server, devAccount: 3);
        var alone = await TextAsync(user, RankFour);

        // Several broken sequences around the healthy one, so they share its steps (and later its KV slots).
        var broken = Enumerable.Range(0, 3).Select(_ => user.ChatAsync(Overflow, Prompt, maxTokens: 24, stream: true)).ToList();
        var beside = TextAsync(user, RankFour);
        foreach (var response in await Task.WhenAll(broken))
        {
            using (response)
            {
                var events = await SseEvents.ReadDataAsync(response);
                Assert.Equal(NumericalError, ErrorAssert.IsErrorObject(events[^1]).GetProperty("code").GetString());
            }
        }

        Assert.Equal(alone, await beside);
        Assert.Equal(alone, await TextAsync(user, RankFour));
        Assert.Equal(alone, await TextAsync(user, RankFour, stream: true));
    }

    [Theory]
    [InlineData("ggml", "gguf")]
    [InlineData("ggml", "peft")]
    [InlineData("llamasharp", "gguf")]
    public async Task Upload_AdapterWhoseProbeStepGivesNonFiniteLogits_Returns400InvalidAdapter(string backend, string format)
    {
        var server = Server(backend);
        var name = $"overflow-{backend}-{format}";
        var gguf = NumericalTestAdapters.WriteTinyOverflow(server.Folder(name), name, seed: 11);
        var upload = format == "gguf"
            ? new SignedUpload(name, await File.ReadAllBytesAsync(gguf), new PublisherKey())
            : PeftUpload(server, name, gguf);

        using var response = await server.Http.UploadAsync(upload);

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, param: "file", code: "invalid_adapter");
        Assert.Contains("non-finite logits", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        using var listed = await server.Http.GetAsync($"/v1/adapters/{name}");
        Assert.Equal(HttpStatusCode.NotFound, listed.StatusCode);
        Assert.DoesNotContain(name, (await server.Http.ListAsync("/v1/models")).Select(m => m.GetProperty("id").GetString()));

        // A sound upload right after is probed, published and served.
        var sound = await server.Http.PublishAsync(new SignedUpload($"sound-{backend}-{format}", server.Variant(seed: format == "gguf" ? 921 : 922), new PublisherKey()));
        Assert.Equal("upload", sound.GetProperty("source").GetString());
    }

    private static SignedUpload PeftUpload(AdapterSafetyServerFixture server, string name, string gguf)
    {
        var (safetensors, config) = PeftAdapterWriter.FromGguf(gguf, server.BaseModelPath, server.Folder($"peft-{name}"));
        return SignedUpload.Peft(name, safetensors, config, new PublisherKey());
    }

    private static async Task<string> TextAsync(BillingApi user, string model, bool stream = false)
    {
        using var response = await user.ChatAsync(model, Prompt, maxTokens: 24, stream);
        if (!stream)
        {
            return (await BillingApi.Json(response, HttpStatusCode.OK)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        }

        var chunks = await SseEvents.ReadJsonUntilDoneAsync(response);
        return string.Concat(chunks
            .Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var content) ? content.GetString() : ""));
    }

    private AdapterSafetyServerFixture Server(string backend) => backend == "ggml" ? ggml : llama;
}
