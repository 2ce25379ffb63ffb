using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Scheduling;

namespace OpenLoRA.Engine.Tests.Backend;

/// <summary>The real engine on the generated tiny model, in a temp content root; its default backend (ggml for this model).</summary>
public class TinyEngineFixture : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("openlora-engine-").FullName;
    private IHost? _host;

    public IInferenceService Inference => _host!.Services.GetRequiredService<IInferenceService>();

    public IModelCatalog Catalog => _host!.Services.GetRequiredService<IModelCatalog>();

    /// <summary>The temp content root (models in <c>models/</c>).</summary>
    protected string Root => _root;

    public async Task InitializeAsync()
    {
        PrepareModels(Path.Combine(_root, "models"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = _root,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenLoRA:Engine:ModelsDirectory"] = "models",
            ["OpenLoRA:Engine:BaseModels:0:Name"] = "tiny-llama",
            ["OpenLoRA:Engine:BaseModels:0:Path"] = "models/tiny/tiny-llama.gguf",
            ["OpenLoRA:Engine:BaseModels:0:AdapterDirectory"] = "models/tiny/adapters",
            ["OpenLoRA:Engine:BaseModels:0:ContextSize"] = "256",
            ["OpenLoRA:Engine:BaseModels:0:MaxSequences"] = "16",
            ["OpenLoRA:Engine:BaseModels:0:StepTokenBudget"] = "64",
            ["OpenLoRA:Engine:BaseModels:0:Threads"] = "2",
            ["OpenLoRA:Engine:BaseModels:0:Backend"] = Backend.ToString(),
        });
        builder.Services.AddLogging();
        builder.Services.AddOpenLoRAEngine(builder.Configuration);
        _host = builder.Build();
        await _host.StartAsync();
    }

    protected virtual StepBackendKind Backend => StepBackendKind.Auto;

    /// <summary>Runs before the engine starts; the engine generates whatever test models are still missing.</summary>
    protected virtual void PrepareModels(string modelsDirectory)
    {
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        Directory.Delete(_root, recursive: true);
    }
}

/// <summary>The same engine forced onto the LLamaSharp backend (one decode per adapter group).</summary>
public sealed class LlamaSharpTinyEngineFixture : TinyEngineFixture
{
    protected override StepBackendKind Backend => StepBackendKind.LlamaSharp;
}
