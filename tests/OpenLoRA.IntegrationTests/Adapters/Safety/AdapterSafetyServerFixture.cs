using OpenLoRA.Gguf.TestModels;
using OpenLoRA.IntegrationTests.Billing;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters.Safety;

/// <summary>
/// The real server on the ggml backend (forced, not Auto) with billing on its own local chain, LoRA slots of rank
/// <see cref="SlotRank"/>, and a configured adapter folder written before it starts: a rank-4 adapter that fits, a
/// rank-8 one that does not, an adapter that overflows the forward pass (valid file, non-finite logits; configured
/// adapters are not probed, so it reaches the step-level check) and one with a negative alpha.
/// </summary>
public class AdapterSafetyServerFixture : BillingServerFixture, IAsyncLifetime
{
    public const int SlotRank = 4;
    public const string RankFour = "tiny-attn-r4";
    public const string RankEight = "tiny-mlp-r8";
    public const string Overflow = "tiny-overflow";
    public const string NegativeAlpha = "tiny-negative-alpha";

    public AdapterSafetyServerFixture()
    {
        // The same deterministic set the server would generate, so it finds it and only serves it.
        var models = TestModelGenerator.EnsureTinyModels(Path.Combine(WorkDirectory, "models"));
        Directory.CreateDirectory(AdapterFolder);
        foreach (var name in new[] { RankFour, RankEight })
        {
            File.Copy(models.AdapterPaths.Single(p => Path.GetFileNameWithoutExtension(p) == name), Path.Combine(AdapterFolder, name + ".gguf"));
        }

        NumericalTestAdapters.WriteTinyOverflow(AdapterFolder, Overflow, seed: 1);
        NumericalTestAdapters.WriteTinyNegativeAlpha(AdapterFolder, NegativeAlpha, seed: 1);
    }

    /// <summary>What the server logged up to the end of its adapter folder scan (later output may push it out of <see cref="ServerFixture.RecentOutput"/>).</summary>
    public string StartupOutput { get; private set; } = "";

    /// <summary>The configured adapter folder.</summary>
    public string AdapterFolder => Path.Combine(WorkDirectory, "safety-adapters");

    /// <summary>The step backend, as the configuration names it.</summary>
    public virtual string Backend => "Ggml";

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();

        // The scan's summary line comes after its per-file reasons; the console logger writes on its own thread.
        using var deadline = new CancellationTokenSource(TestTimeouts.ServerStart);
        while (!RecentOutput.Contains($"adapters registered for {TestModels.BaseModel}", StringComparison.Ordinal))
        {
            await Task.Delay(TestTimeouts.HealthPollInterval, deadline.Token);
        }

        StartupOutput = RecentOutput;
    }

    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        .. base.ConfigurationOverrides,
        new("OpenLoRA:Engine:BaseModels:0:AdapterDirectory", AdapterFolder),
        new("OpenLoRA:Engine:BaseModels:0:Backend", Backend),
        new("OpenLoRA:Engine:BaseModels:0:LoraSlotRank", SlotRank.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
