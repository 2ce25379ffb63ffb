using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Backend.Ggml;

namespace OpenLoRA.Engine.Tests.Backend.Ggml;

/// <summary>
/// The ggml backend and the LLamaSharp backend side by side on one generated model, compared teacher-forced: the
/// LLamaSharp backend runs each sequence alone and picks its greedy tokens; the ggml backend runs all sequences in
/// shared steps (different adapters, staggered starts, so prefill chunks share steps with decodes) fed the same
/// tokens, and every logit vector is compared.
/// </summary>
internal sealed class BackendComparison : IDisposable
{
    public BackendComparison(string modelPath, int context, int sequences, int stepTokens, int slotRank, bool loraKernel = true)
    {
        Model = LlamaModel.Load(modelPath);
        Llama = new LlamaStepBackend(Model, new LlamaStepBackendOptions(context, sequences, stepTokens, 2));
        if (!GgmlLlamaConfig.TryRead(modelPath, out var config, out var reason))
        {
            throw new InvalidOperationException(reason);
        }

        Ggml = new GgmlStepBackend(config, new GgmlStepBackendOptions(context, sequences, stepTokens, 2, 8, slotRank, LoraKernel: loraKernel));
        if (Ggml.LoraKernel != loraKernel)
        {
            throw new InvalidOperationException($"the ggml backend did not take LoraKernel={loraKernel}");
        }
    }

    public LlamaModel Model { get; }

    public LlamaStepBackend Llama { get; }

    public GgmlStepBackend Ggml { get; }

    public void Dispose()
    {
        Ggml.Dispose();
        Llama.Dispose();
        Model.Dispose();
    }

    /// <summary>Greedy run of one sequence alone: the logits after the prompt and after each generated token but the last.</summary>
    public static Run RunAlone(IStepBackend backend, IBackendAdapter? adapter, int[] prompt, int generate)
    {
        backend.ClearSequence(0);
        var logits = new List<float[]>();
        var tokens = new List<int>();
        var position = 0;
        foreach (var chunk in prompt.Chunk(backend.MaxStepTokens))
        {
            var last = position + chunk.Length == prompt.Length;
            backend.Execute([new StepItem(0, adapter, chunk, position, last)], (_, values) => logits.Add(values.ToArray()));
            position += chunk.Length;
        }

        while (tokens.Count < generate)
        {
            var next = ArgMax(logits[^1]);
            tokens.Add(next);
            if (tokens.Count == generate)
            {
                break;
            }

            backend.Execute([new StepItem(0, adapter, new[] { next }, position++, true)], (_, values) => logits.Add(values.ToArray()));
        }

        backend.ClearSequence(0);
        return new Run(tokens.ToArray(), logits);
    }

    /// <summary>
    /// All requests together, sequence i joining at step i (its whole prompt as one prefill item in a step where the
    /// earlier ones decode), each fed the reference run's tokens. Returns each request's logits, as in <see cref="Run"/>.
    /// </summary>
    public static List<List<float[]>> RunTogether(IStepBackend backend, IReadOnlyList<(IBackendAdapter? Adapter, int[] Prompt, Run Reference)> requests)
    {
        var logits = requests.Select(_ => new List<float[]>()).ToList();
        var fed = new int[requests.Count];
        var positions = new int[requests.Count];
        for (var s = 0; s < requests.Count; s++)
        {
            backend.ClearSequence(s);
        }

        for (var step = 0; ; step++)
        {
            var items = new List<StepItem>();
            var owners = new List<int>();
            for (var s = 0; s < requests.Count && s <= step; s++)
            {
                var (adapter, prompt, reference) = requests[s];
                if (positions[s] == 0)
                {
                    items.Add(new StepItem(s, adapter, prompt, 0, true));
                    positions[s] = prompt.Length;
                }
                else if (fed[s] < reference.Tokens.Length - 1)
                {
                    items.Add(new StepItem(s, adapter, new[] { reference.Tokens[fed[s]] }, positions[s]++, true));
                    fed[s]++;
                }
                else
                {
                    continue;
                }

                owners.Add(s);
            }

            if (items.Count == 0)
            {
                break;
            }

            backend.Execute(items, (index, values) => logits[owners[index]].Add(values.ToArray()));
        }

        return logits;
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Largest logit minus the runner-up: how far greedy decoding is from a tie.</summary>
    public static float Margin(ReadOnlySpan<float> values)
    {
        var best = float.NegativeInfinity;
        var second = float.NegativeInfinity;
        foreach (var value in values)
        {
            if (value > best)
            {
                second = best;
                best = value;
            }
            else if (value > second)
            {
                second = value;
            }
        }

        return best - second;
    }

    public static float MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var max = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(a[i] - b[i]));
        }

        return max;
    }

    internal sealed record Run(int[] Tokens, List<float[]> Logits);
}
