using System.Net;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary><c>/metrics</c> exposes the documented HTTP-level series.</summary>
public abstract class MetricsTests(ITestServer server)
{
    [Fact]
    public async Task GetMetrics_AfterAChat_ExposesHttpAndTokenSeries()
    {
        using (var chat = await server.Http.PostJsonAsync("/v1/chat/completions", $$"""
            {"model":"{{TestModels.Adapter}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":3}
            """))
        {
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }

        var metrics = await server.Http.GetStringAsync("/metrics");

        Assert.Contains("""openlora_http_requests_total{endpoint="/v1/chat/completions",status="200"}""", metrics);
        Assert.Contains($$"""openlora_prompt_tokens_total{model="{{TestModels.BaseModel}}"}""", metrics);
        Assert.Contains($$"""openlora_generated_tokens_total{model="{{TestModels.BaseModel}}"}""", metrics);
        Assert.Contains($$"""openlora_e2e_request_latency_seconds_count{model="{{TestModels.BaseModel}}"}""", metrics);
        Assert.Contains("openlora_time_to_first_token_seconds", metrics);
        Assert.Contains("openlora_time_per_output_token_seconds", metrics);
    }

    [Fact]
    public async Task GetMetrics_UnknownPaths_ShareOneLabel()
    {
        using (await server.Http.GetAsync($"/no-such-path-{Guid.NewGuid():N}"))
        {
        }

        var metrics = await server.Http.GetStringAsync("/metrics");

        Assert.Contains("""openlora_http_requests_total{endpoint="unmatched",status="404"}""", metrics);
        Assert.DoesNotContain("no-such-path-", metrics);
    }

    [Fact]
    public async Task GetHealth_ModelsLoaded_Returns200()
    {
        using var response = await server.Http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ok"}""", await response.Content.ReadAsStringAsync());
    }
}
