using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Sampling;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Engine.Tokens;

namespace OpenLoRA.Engine.Tests.Scheduling;

/// <summary>A real scheduler and inference service over <see cref="FakeStepBackend"/>.</summary>
internal sealed class SchedulerHarness : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("openlora-sched-").FullName;

    public SchedulerHarness(int maxSequences = 4, int contextSize = 64, int stepBudget = 16, int queueCapacity = 16, int maxResident = 8, long maxResidentBytes = long.MaxValue, int maxGroups = 0, AdmissionPolicy admission = AdmissionPolicy.Fifo, int maxBypass = 16)
    {
        Backend = new FakeStepBackend(maxSequences, contextSize, stepBudget);
        var options = new ModelSchedulerOptions(stepBudget, queueCapacity, maxResident, maxResidentBytes, maxGroups, admission, maxBypass);
        var scheduler = new ModelScheduler("fake", Backend, Backend, options, NullLogger.Instance);
        Service = new InferenceService();
        Service.Register(new ModelRuntime("fake", Backend, ChatTemplate.FromModelTemplate(null), scheduler, null));
        Base = new BaseModelInfo("fake", "fake.gguf", new string('0', 64), contextSize, DateTimeOffset.UnixEpoch);
    }

    public FakeStepBackend Backend { get; }

    public InferenceService Service { get; }

    public BaseModelInfo Base { get; }

    public ModelTarget BaseTarget => new(Base, null);

    /// <summary>An adapter backed by a real file, so the resident set's hash check passes.</summary>
    public ModelTarget AdapterTarget(string name)
    {
        var path = Path.Combine(_directory, name + ".gguf");
        File.WriteAllText(path, name);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        return new ModelTarget(Base, new AdapterInfo(name, sha, "fake", path, 4, 8, ["x"], name.Length, DateTimeOffset.UnixEpoch));
    }

    public IGeneration Submit(ModelTarget target, string prompt, int maxTokens, IReadOnlyList<string>? stop = null, CancellationToken cancellationToken = default)
    {
        var sampling = new SamplingParameters { Temperature = 0, MaxTokens = maxTokens, Stop = stop ?? [] };
        return Service.Submit(target, Service.PrepareCompletion(target, prompt), sampling, cancellationToken);
    }

    public static async Task<(string Text, FinishReason? Finish)> CollectAsync(IGeneration generation)
    {
        var text = new System.Text.StringBuilder();
        FinishReason? finish = null;
        await foreach (var delta in generation.Deltas)
        {
            text.Append(delta.Text);
            finish = delta.Finish ?? finish;
        }

        return (text.ToString(), finish);
    }

    public void Dispose()
    {
        Backend.Gate?.Release(1000);
        Service.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
