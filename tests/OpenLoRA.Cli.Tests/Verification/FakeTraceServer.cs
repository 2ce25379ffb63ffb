using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenLoRA.Cli.Tests.Verification;

/// <summary>A real Kestrel server on loopback that answers GET /v1/traces/{id} with whatever body was published for the id.</summary>
public sealed class FakeTraceServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _bodies;
    private readonly WebApplication _app;

    private FakeTraceServer(WebApplication app, ConcurrentDictionary<string, string> bodies, string url)
    {
        _app = app;
        _bodies = bodies;
        Url = url;
    }

    public string Url { get; }

    public static async Task<FakeTraceServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var bodies = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        app.MapGet("/v1/traces/{id}", (string id) => bodies.TryGetValue(id, out var body)
            ? Results.Content(body, "application/json")
            : Results.Content($$$"""{"error":{"message":"No trace '{{{id}}}'.","type":"invalid_request_error","param":"id","code":"trace_not_found"}}""", "application/json", statusCode: 404));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeTraceServer(app, bodies, address);
    }

    public void Publish(ServedTrace trace) => _bodies[trace.Id] = trace.ToJson();

    public void PublishRaw(string id, string body) => _bodies[id] = body;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
