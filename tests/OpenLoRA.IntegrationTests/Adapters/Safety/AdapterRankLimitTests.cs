using System.Net;
using OpenLoRA.Gguf.TestModels;
using OpenLoRA.IntegrationTests.Billing;
using OpenLoRA.IntegrationTests.Infrastructure;
using static OpenLoRA.IntegrationTests.Adapters.Safety.AdapterSafetyServerFixture;

namespace OpenLoRA.IntegrationTests.Adapters.Safety;

/// <summary>
/// Adapters of a rank above the ggml backend's LoraSlotRank (4 here): refused at upload, GGUF and PEFT alike, and
/// never served from the configured folder, instead of failing every request at load with a bare 500.
/// </summary>
[Collection(AdapterSafetyServerCollection.Name)]
public sealed class AdapterRankLimitTests(AdapterSafetyServerFixture ggml, LlamaSharpAdapterSafetyServerFixture llama)
{
    [Theory]
    [InlineData("gguf")]
    [InlineData("peft")]
    public async Task Upload_RankAboveLoraSlotRank_Returns400InvalidAdapterNamingLoraSlotRank(string format)
    {
        var name = $"too-wide-{format}";
        var upload = Upload(ggml, name, seed: format == "gguf" ? 901 : 902, RankEight, format);

        using var response = await ggml.Http.UploadAsync(upload);

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, param: "file", code: "invalid_adapter");
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains($"rank 8 is above LoraSlotRank {SlotRank}", message, StringComparison.Ordinal);
        Assert.Contains(TestModels.BaseModel, message, StringComparison.Ordinal);
        using var listed = await ggml.Http.GetAsync($"/v1/adapters/{name}");
        Assert.Equal(HttpStatusCode.NotFound, listed.StatusCode);
    }

    [Fact]
    public async Task Upload_RankAtLoraSlotRank_IsPublishedAndServes()
    {
        var adapter = await ggml.Http.PublishAsync(Upload(ggml, "fits-the-slots", seed: 903, RankFour, "gguf"));

        Assert.Equal(SlotRank, adapter.GetProperty("rank").GetInt32());
        var user = await UserAsync(ggml, devAccount: 5);
        using var chat = await user.ChatAsync("fits-the-slots", "Hello", maxTokens: 4);
        await BillingApi.Json(chat, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Upload_SameRankEightAdapterOnLlamaSharp_IsPublished()
    {
        // The limit is the ggml backend's: LLamaSharp applies any rank.
        var adapter = await llama.Http.PublishAsync(Upload(llama, "wide-on-llamasharp", seed: 904, RankEight, "gguf"));

        Assert.Equal(8, adapter.GetProperty("rank").GetInt32());
    }

    [Fact]
    public async Task Start_FolderAdapterAboveLoraSlotRank_IsNotServedAndTheLogSaysWhy()
    {
        var models = (await ggml.Http.ListAsync("/v1/models")).Select(m => m.GetProperty("id").GetString()).ToList();
        var user = await UserAsync(ggml, devAccount: 6);

        using var chat = await user.ChatAsync(RankEight, "Hello", maxTokens: 4);

        Assert.Contains(RankFour, models);
        Assert.DoesNotContain(RankEight, models);
        await ErrorAssert.IsErrorAsync(chat, HttpStatusCode.NotFound, param: "model", code: "model_not_found");
        Assert.Contains($"{RankEight}.gguf: its rank 8 is above LoraSlotRank {SlotRank}", ggml.StartupOutput, StringComparison.Ordinal);
        Assert.Contains(RankEight, (await llama.Http.ListAsync("/v1/models")).Select(m => m.GetProperty("id").GetString()));
    }

    internal static SignedUpload Upload(AdapterSafetyServerFixture server, string name, int seed, string adapter, string format)
    {
        var gguf = server.VariantPath(seed, adapter);
        if (format == "gguf")
        {
            return new SignedUpload(name, File.ReadAllBytes(gguf), new PublisherKey());
        }

        var (safetensors, config) = PeftAdapterWriter.FromGguf(gguf, server.BaseModelPath, server.Folder($"peft-{name}"));
        return SignedUpload.Peft(name, safetensors, config, new PublisherKey());
    }

    internal static async Task<BillingApi> UserAsync(AdapterSafetyServerFixture server, int devAccount)
    {
        var user = new BillingApi(server, devAccount);
        await user.SignInAsync();
        await user.DepositAsync(OneOpen);
        return user;
    }

    private static System.Numerics.BigInteger OneOpen => System.Numerics.BigInteger.Pow(10, 18);
}
