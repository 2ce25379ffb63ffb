using System.Text.RegularExpressions;
using LLama.Native;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Backend.Ggml;
using Xunit.Abstractions;

namespace OpenLoRA.Engine.Tests.Backend.Ggml.Quantized;

/// <summary>
/// The ggml backend puts in the CPU backend's repacked buffer (CPU_REPACK) exactly the weights llama.cpp repacks when
/// it loads the same file: llama.cpp logs each one ("repack tensor &lt;name&gt; with &lt;layout&gt;", debug level),
/// which is read here through <see cref="LlamaRuntime.NativeMessage"/>. Everything else stays in the default buffer.
/// Which types qualify depends on the loaded CPU flavour (on AVX2: Q4_0, Q4_K; docs/GGML-BACKEND.md).
/// </summary>
[Collection(QuantizedCollection.Name)]
public sealed partial class RepackPlacementTests(QuantizedModels models, ITestOutputHelper output)
{
    private const string Repacked = "CPU_REPACK";

    [Theory]
    [InlineData("Q8_0")]
    [InlineData("Q4_0")]
    [InlineData("Q4_K_M")]
    [InlineData("Q5_K_M")]
    [InlineData("Q6_K")]
    [InlineData("Q4_K")]
    [InlineData("Q5_K")]
    public void Load_QuantizedSmallModel_RepacksExactlyTheWeightsLlamaCppRepacks(string type)
    {
        var path = models.SmallIn(type);
        var byLlama = RepackedByLlamaCpp(path);

        using var backend = Create(path, repack: true);

        var placements = backend.WeightPlacements;
        foreach (var (name, buffer) in placements.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{name}: {buffer}{(byLlama.ContainsKey(name) ? " (llama.cpp repacks it)" : "")}");
        }

        Assert.Equal(byLlama.Keys.Order(StringComparer.Ordinal), placements.Where(p => p.Value == Repacked).Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.All(placements.Where(p => p.Value != Repacked), p => Assert.Equal("CPU", p.Value));
        Assert.Equal("CPU", placements["token_embd.weight"]);
    }

    /// <summary>llama.cpp's <c>--no-repack</c> (use_extra_bufts = false): every weight in the default buffer.</summary>
    [Fact]
    public void Load_WithRepackingOff_KeepsEveryWeightInTheDefaultBuffer()
    {
        var path = models.SmallIn("Q4_0");

        using var backend = Create(path, repack: false);

        Assert.All(backend.WeightPlacements, p => Assert.Equal("CPU", p.Value));
        Assert.Equal(["CPU"], backend.WeightBuffers.Select(b => b.BufferType));
    }

    private static GgmlStepBackend Create(string path, bool repack)
    {
        Assert.True(GgmlLlamaConfig.TryRead(path, out var config, out var reason), reason);
        return new GgmlStepBackend(config, new GgmlStepBackendOptions(64, 2, 16, 2, 2, 8, RepackWeights: repack));
    }

    private Dictionary<string, string> RepackedByLlamaCpp(string path)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        void OnMessage(LLamaLogLevel level, string message)
        {
            var match = RepackLine().Match(message);
            if (match.Success)
            {
                lock (names)
                {
                    names[match.Groups[1].Value] = match.Groups[2].Value;
                }
            }
        }

        LlamaRuntime.EnsureInitialized();
        LlamaRuntime.NativeMessage += OnMessage;
        try
        {
            using var model = LlamaModel.Load(path);
        }
        finally
        {
            LlamaRuntime.NativeMessage -= OnMessage;
        }

        output.WriteLine($"llama.cpp repacked {names.Count} weights: {string.Join(", ", names.GroupBy(n => n.Value).Select(g => $"{g.Count()} as {g.Key}"))}");
        return names;
    }

    [GeneratedRegex(@"repack tensor (\S+) with (\S+)")]
    private static partial Regex RepackLine();
}
