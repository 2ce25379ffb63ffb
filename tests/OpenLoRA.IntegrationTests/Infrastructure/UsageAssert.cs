using System.Text.Json;

namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>Usage must add up and agree with the finish reason: "length" means exactly max_tokens were generated.</summary>
internal static class UsageAssert
{
    public static readonly string[] FinishReasons = ["stop", "length"];

    /// <summary>Checks a JSON <c>usage</c> object against the request's <paramref name="maxTokens"/>.</summary>
    public static void Consistent(JsonElement usage, string? finishReason, int maxTokens) => Consistent(
        usage.GetProperty("prompt_tokens").GetInt32(),
        usage.GetProperty("completion_tokens").GetInt32(),
        usage.GetProperty("total_tokens").GetInt32(),
        finishReason,
        maxTokens);

    public static void Consistent(int promptTokens, int completionTokens, int totalTokens, string? finishReason, int maxTokens)
    {
        Assert.Contains(finishReason, FinishReasons);
        Assert.True(promptTokens > 0, $"prompt_tokens {promptTokens}");
        Assert.InRange(completionTokens, finishReason == "length" ? maxTokens : 0, maxTokens);
        Assert.Equal(promptTokens + completionTokens, totalTokens);
    }
}
