using System.Net;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary>A full queue answers 429 with Retry-After, and the server recovers once the load is gone.</summary>
[Collection(SingleSlotServerCollection.Name)]
public sealed class QueueFullTests(SingleSlotServerFixture server)
{
    /// <summary>One runs, one waits; the rest of a simultaneous burst has nowhere to go.</summary>
    private const int Concurrent = 16;

    [Fact]
    public async Task Post_BurstOverQueueCapacity_SomeGet429WithRetryAfter()
    {
        var body = $$"""
            {"model":"{{TestModels.Adapter}}","messages":[{"role":"user","content":"Write a long story."}],"max_tokens":400}
            """;
        var responses = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => server.Http.PostJsonAsync("/v1/chat/completions", body)));
        try
        {
            var rejected = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.NotEmpty(rejected);
            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
            foreach (var response in rejected)
            {
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {response.Headers.RetryAfter}");
                await ErrorAssert.IsErrorAsync(response, HttpStatusCode.TooManyRequests, code: "rate_limit_exceeded", type: "requests");
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        using var after = await server.Http.PostJsonAsync("/v1/chat/completions", $$"""
            {"model":"{{TestModels.BaseModel}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":2}
            """);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
