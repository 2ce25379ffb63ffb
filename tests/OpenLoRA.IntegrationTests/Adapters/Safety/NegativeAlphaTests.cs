using System.Net;
using OpenLoRA.IntegrationTests.Billing;
using OpenLoRA.IntegrationTests.Infrastructure;
using static OpenLoRA.IntegrationTests.Adapters.Safety.AdapterSafetyServerFixture;

namespace OpenLoRA.IntegrationTests.Adapters.Safety;

/// <summary>
/// A negative <c>adapter.lora.alpha</c> means one thing on both backends, PEFT's scale alpha/r with its sign: the
/// ggml backend used to apply such an adapter unscaled (+1) where llama.cpp subtracts it, so the two servers
/// answered differently.
/// </summary>
[Collection(AdapterSafetyServerCollection.Name)]
public sealed class NegativeAlphaTests(AdapterSafetyServerFixture ggml, LlamaSharpAdapterSafetyServerFixture llama)
{
    private const string Prompt = "Once upon a time in a land far away, there lived";

    [Fact]
    public async Task Chat_NegativeAlphaAdapter_GivesTheSameTokensOnGgmlAndLlamaSharp()
    {
        var onGgml = await AdapterRankLimitTests.UserAsync(ggml, devAccount: 4);
        var onLlama = await AdapterRankLimitTests.UserAsync(llama, devAccount: 4);

        var ggmlText = await TextAsync(onGgml, NegativeAlpha);
        var llamaText = await TextAsync(onLlama, NegativeAlpha);

        Assert.Equal(llamaText, ggmlText);
        Assert.NotEqual(await TextAsync(onGgml, TestModels.BaseModel), ggmlText);
    }

    private static async Task<string> TextAsync(BillingApi user, string model)
    {
        using var response = await user.ChatAsync(model, Prompt, maxTokens: 16);
        return (await BillingApi.Json(response, HttpStatusCode.OK)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }
}
