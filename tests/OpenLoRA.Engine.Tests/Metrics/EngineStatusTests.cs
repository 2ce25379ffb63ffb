using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLoRA.Engine.Adapters;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Sampling;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Engine.Status;
using OpenLoRA.Engine.Tests.Scheduling;

namespace OpenLoRA.Engine.Tests.Metrics;

/// <summary>What the engine publishes for the vLLM-compatible gauges: adapter names, slots and KV usage.</summary>
public sealed class EngineStatusTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("openlora-status-").FullName;

    // A model name of its own: the status board is process-wide and other tests' schedulers all use "fake".
    private readonly string _model = $"status-{Guid.NewGuid():N}";
    private readonly FakeStepBackend _backend = new(maxSequences: 4, contextSize: 64, maxStepTokens: 16);

    [Fact]
    public void New_ResidentSet_RegistersItsModelWithSlotsAndKvCells()
    {
        using var adapters = NewResidentAdapters(maxResident: 6);

        var status = ModelStatus();

        Assert.Equal(6, status.MaxResidentAdapters);
        Assert.Equal(4 * 64, status.KvCellsTotal);
        Assert.Empty(status.RunningAdapters);
        Assert.Empty(status.WaitingAdapters);
    }

    [Fact]
    public void Dispose_ResidentSet_UnregistersItsModel()
    {
        NewResidentAdapters(maxResident: 2).Dispose();

        Assert.DoesNotContain(EngineStatus.Process.Snapshot(), s => s.Model == _model);
    }

    [Fact]
    public async Task Pin_LoadedAndLoadingAdapters_ListedAsRunningAndWaiting()
    {
        _backend.SlowLoadGate = new SemaphoreSlim(0);
        using var adapters = NewResidentAdapters(maxResident: 4);
        var fast = Adapter("b-fast");
        var slow = Adapter("a-slow");

        adapters.Pin(fast);
        adapters.Pin(slow);
        Assert.Equal(["a-slow", "b-fast"], ModelStatus().WaitingAdapters);

        await PumpUntilAsync(adapters, () => adapters.TryGetHandle(fast, out _));
        Assert.Equal(["b-fast"], ModelStatus().RunningAdapters);
        Assert.Equal(["a-slow"], ModelStatus().WaitingAdapters);

        _backend.SlowLoadGate.Release();
        await PumpUntilAsync(adapters, () => adapters.TryGetHandle(slow, out _));
        Assert.Equal(["a-slow", "b-fast"], ModelStatus().RunningAdapters);
        Assert.Empty(ModelStatus().WaitingAdapters);

        adapters.Unpin(fast);
        Assert.Equal(["a-slow"], ModelStatus().RunningAdapters);
        adapters.Unpin(slow);
        Assert.Empty(ModelStatus().RunningAdapters);
    }

    [Fact]
    public void ObserveRunning_Positions_SummedIntoKvUsage()
    {
        using var adapters = NewResidentAdapters(maxResident: 2);
        var running = new List<Sequence> { Sequence(position: 40), Sequence(position: 24) };

        adapters.Status.ObserveRunning(running);
        Assert.Equal(64, ModelStatus().KvCellsUsed);
        Assert.Equal(0.25, ModelStatus().KvCacheUsage);

        adapters.Status.ObserveRunning([]);
        Assert.Equal(0, ModelStatus().KvCacheUsage);
    }

    public void Dispose()
    {
        _backend.SlowLoadGate?.Release(100);
        Directory.Delete(_directory, recursive: true);
    }

    private ResidentAdapters NewResidentAdapters(int maxResident) =>
        new(_backend, _model, new ResidentAdapterLimits(maxResident, long.MaxValue), static () => { }, NullLogger.Instance);

    private ModelStatus ModelStatus() => EngineStatus.Process.Snapshot().Single(s => s.Model == _model);

    private AdapterInfo Adapter(string name)
    {
        var path = Path.Combine(_directory, name + ".gguf");
        File.WriteAllText(path, name);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        return new AdapterInfo(name, sha, _model, path, 4, 8, ["x"], name.Length, DateTimeOffset.UnixEpoch);
    }

    private Sequence Sequence(int position)
    {
        var target = new ModelTarget(new BaseModelInfo(_model, "m.gguf", new string('0', 64), 64, DateTimeOffset.UnixEpoch), null);
        return new Sequence(target, [1, 2, 3], new SamplingParameters(), 1, 0) { Position = position };
    }

    private static async Task PumpUntilAsync(ResidentAdapters adapters, Func<bool> done)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            adapters.Pump();
            if (done())
            {
                return;
            }

            await Task.Delay(5, timeout.Token);
        }
    }
}
