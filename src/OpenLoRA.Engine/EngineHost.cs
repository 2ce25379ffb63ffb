using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenLoRA.Engine.Adapters;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Backend.Ggml;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Engine.Tokens;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Engine;

/// <summary>
/// Loads every configured base model at start (generating the deterministic test models when they are missing),
/// registers their adapters, and starts one scheduler per model. Start-up blocks until models are loaded, so the
/// server only listens once it can serve.
/// </summary>
internal sealed class EngineHost(
    IOptions<EngineOptions> options,
    ModelCatalog catalog,
    InferenceService inference,
    AdapterPublisher publisher,
    IHostEnvironment environment,
    ILoggerFactory loggerFactory) : IHostedService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<EngineHost>();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        LlamaRuntime.EnsureInitialized(loggerFactory.CreateLogger("llama.cpp"));
        var engine = options.Value;
        EnsureTestModels(engine);
        var baseModels = new List<BaseModelInfo>();
        var adapters = new List<AdapterInfo>();
        var scanner = new AdapterFolderScanner(_logger);
        foreach (var configured in engine.BaseModels)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Resolve(configured.Path);
            var (runtime, onGgml) = CreateRuntime(configured, path);
            inference.Register(runtime);

            // The backend is chosen first: on ggml the slot rank bounds the adapters that can run at all.
            var info = new BaseModelInfo(
                configured.Name, path, AdapterFolderScanner.HashFile(path), configured.ContextSize,
                new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero))
            {
                MaxAdapterRank = onGgml ? configured.LoraSlotRank : null,
            };
            if (configured.AdapterDirectory is { } folder)
            {
                adapters.AddRange(scanner.Scan(Resolve(folder), info));
            }

            baseModels.Add(info);
            _logger.LogInformation("Serving {Model} from {Path}", configured.Name, path);
        }

        // After the folder scan: configured adapters' names and contents are reserved, so the uploaded ones that
        // clash are left out (and stay registered) rather than shadowing what the operator configured.
        adapters.AddRange(publisher.LoadAndCollectGarbage(baseModels, adapters));
        catalog.Publish(baseModels, adapters);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        inference.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The model's runtime, and whether it runs on the ggml backend.</summary>
    private (ModelRuntime Runtime, bool OnGgml) CreateRuntime(BaseModelOptions configured, string path)
    {
        var ggml = ChooseGgml(configured, path);
        var model = LlamaModel.Load(path, vocabularyOnly: ggml is not null);
        try
        {
            var template = LoadChatTemplate(configured.Name, model);
            var ggmlBackend = ggml is null ? null : new GgmlStepBackend(ggml, new GgmlStepBackendOptions(
                configured.ContextSize, configured.MaxSequences, configured.StepTokenBudget, configured.Threads,
                configured.MaxResidentAdapters, configured.LoraSlotRank));
            IStepBackend backend = ggmlBackend ?? (IStepBackend)new LlamaStepBackend(model, new LlamaStepBackendOptions(
                configured.ContextSize, configured.MaxSequences, configured.StepTokenBudget, configured.Threads));
            EngineMetrics.BackendInfo.WithLabels(configured.Name, ggmlBackend is null ? "llamasharp" : "ggml", ggmlBackend?.DeviceName ?? "CPU").Set(1);
            _logger.LogInformation(
                "Model {Model} runs on the {Backend} backend", configured.Name,
                ggmlBackend is null ? "LLamaSharp" : $"ggml ({ggmlBackend.DeviceName}, {ggmlBackend.AdapterSlots} LoRA slots of rank {configured.LoraSlotRank}; buffers {string.Join(", ", ggmlBackend.WeightBuffers.Select(b => $"{b.BufferType} {b.Bytes / 1048576.0:F1} MiB with {b.Weights} weights"))})");
            var scheduler = new ModelScheduler(
                configured.Name,
                backend,
                model,
                new ModelSchedulerOptions(configured.StepTokenBudget, configured.QueueCapacity, configured.MaxResidentAdapters, configured.MaxResidentAdapterBytes, configured.MaxAdapterGroupsPerStep, configured.Admission, configured.MaxAdmissionBypass),
                loggerFactory.CreateLogger($"OpenLoRA.Engine.Scheduler.{configured.Name}"));
            return (new ModelRuntime(configured.Name, model, template, scheduler, model), ggmlBackend is not null);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The model's chat template as llama.cpp renders it; one llama.cpp refuses fails the model's start like a model
    /// file it cannot load, and a model without one is served with ChatML and a warning (docs/MODELS.md, "Chat templates").
    /// </summary>
    private ChatTemplate LoadChatTemplate(string modelName, LlamaModel model)
    {
        ChatTemplate template;
        try
        {
            template = ChatTemplate.FromModelTemplate(model.ChatTemplate);
        }
        catch (ChatTemplateException ex)
        {
            throw new BackendException($"Model {modelName} cannot start: {ex.Message}");
        }

        if (template.IsDefault)
        {
            _logger.LogWarning("Model {Model}: {ChatTemplate}", modelName, template.Description);
        }
        else
        {
            _logger.LogInformation("Model {Model}: {ChatTemplate}", modelName, template.Description);
        }

        return template;
    }

    /// <summary>The validated model for the ggml backend, or null for LLamaSharp (Auto logs why).</summary>
    private GgmlLlamaConfig? ChooseGgml(BaseModelOptions configured, string path)
    {
        if (configured.Backend == StepBackendKind.LlamaSharp)
        {
            return null;
        }

        string? reason;
        try
        {
            GgmlLibrary.EnsureBound();
            if (GgmlLlamaConfig.TryRead(path, out var config, out reason))
            {
                return config;
            }
        }
        catch (BackendException ex)
        {
            reason = ex.Message;
        }

        if (configured.Backend == StepBackendKind.Ggml)
        {
            throw new BackendException($"Model {configured.Name} cannot run on the ggml backend: {reason}");
        }

        _logger.LogWarning("Model {Model} runs on LLamaSharp: the ggml backend does not support it ({Reason})", configured.Name, reason);
        return null;
    }

    private void EnsureTestModels(EngineOptions engine)
    {
        if (!engine.GenerateTestModels || engine.BaseModels.All(m => File.Exists(Resolve(m.Path))))
        {
            return;
        }

        var directory = Resolve(engine.ModelsDirectory);
        _logger.LogInformation("Generating the test models into {Directory}", directory);
        TestModelGenerator.EnsureTinyModels(directory);
    }

    private string Resolve(string path) => Path.GetFullPath(path, environment.ContentRootPath);
}
