using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI.Chat;
using OpenAI.Models;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.IntegrationTests.Infrastructure.Fakes;
using OpenLoRA.Server.Hosting;

namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>
/// The server's real HTTP layer (same registration and pipeline as Program, real Kestrel on loopback) over
/// <see cref="FakeInferenceService"/>: exercises the API without model weights, and failure modes the real engine
/// cannot be made to produce on demand.
/// </summary>
public sealed class FakeEngineServerFixture : IAsyncLifetime, ITestServer
{
    private WebApplication? _app;
    private HttpClient? _http;
    private Uri? _baseAddress;

    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The server has not started.");

    public HttpClient Http => _http ?? throw new InvalidOperationException("The server has not started.");

    internal FakeInferenceService Engine { get; } = new();

    public ChatClient CreateChatClient(string model) => OpenAIClients.Chat(BaseAddress, model);

    public OpenAIModelClient CreateModelClient() => OpenAIClients.Models(BaseAddress);

    public async Task InitializeAsync()
    {
        // Content root = test output, which holds the repository's appsettings.json copied by the server project.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.AddOpenLoRAServer();
        builder.Services.AddSingleton<IModelCatalog, FakeModelCatalog>();
        builder.Services.AddSingleton<IInferenceService>(Engine);

        _app = builder.Build();
        _app.UseOpenLoRAServer();
        _app.Urls.Clear();
        _app.Urls.Add("http://127.0.0.1:0");
        await _app.StartAsync();

        _baseAddress = new Uri(_app.Urls.Single());
        _http = new HttpClient { BaseAddress = _baseAddress, Timeout = TestTimeouts.Request };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
