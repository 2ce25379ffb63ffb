using System.Net;
using OpenLoRA.Gguf.TestModels;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>
/// Seeded mutants of a valid PEFT adapter (either file mutated, the other valid) through the real upload endpoint:
/// each is refused with 400 invalid_adapter or, when the mutation happens to leave a valid adapter, published;
/// never a 500. The unit-level fuzzing of the parsers is in OpenLoRA.Gguf.Tests (PeftParserFuzzTests).
/// </summary>
[Collection(AdapterServerCollection.Name)]
public sealed class AdapterPeftFuzzTests(AdapterServerFixture server)
{
    private const int Seed = 1414;
    private const int Cases = 300;

    private static readonly string[] Internals = ["OpenLoRA.", "System.", "Exception"];

    [Fact]
    public async Task Upload_ThreeHundredMutantPeftAdapters_OnlyInvalidAdapterOrPublished()
    {
        var (safetensors, config) = PeftAdapterWriter.FromGguf(server.VariantPath(981), server.BaseModelPath, server.Folder("peft-fuzz"));
        var validWeights = await File.ReadAllBytesAsync(safetensors);
        var validConfig = await File.ReadAllBytesAsync(config);
        var weights = new SafetensorsMutator(validWeights, Seed);
        var configs = new JsonMutator(validConfig, Seed);
        var key = new PublisherKey();
        var failures = new List<string>();
        var refused = 0;
        for (var i = 0; i < Cases; i++)
        {
            var mutateWeights = i % 2 == 0;
            var (bytes, operators) = mutateWeights ? weights.Next() : configs.Next();
            var upload = new SignedUpload($"peft-fuzz-{i}", mutateWeights ? bytes : validWeights, key)
            {
                WeightsPart = "adapter_model.safetensors",
                PeftConfig = mutateWeights ? validConfig : bytes,
            };

            using var response = await server.Http.UploadAsync(upload);
            var body = await response.Content.ReadAsStringAsync();
            var what = $"seed {Seed}, case {i}, {(mutateWeights ? "weights" : "config")} ({operators})";
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                var error = ErrorAssert.IsErrorObject(body);
                var code = error.GetProperty("code").GetString();
                var message = error.GetProperty("message").GetString()!;
                if (Internals.FirstOrDefault(i => message.Contains(i, StringComparison.Ordinal)) is { } leak)
                {
                    failures.Add($"{what}: the message names '{leak}': {message}");
                }
                else if (code == "invalid_adapter")
                {
                    refused++;
                }
                else
                {
                    failures.Add($"{what}: 400 with code {code}: {body}");
                }
            }
            else if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            {
                // 201: the mutation left a valid adapter; 409: it converts to an adapter an earlier case published.
                failures.Add($"{what}: {(int)response.StatusCode} {body}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
        Assert.True(refused > Cases / 2, $"only {refused} of {Cases} mutants were refused: the mutator is too gentle to test anything");
        await ChatProbe.CompleteAsync(server, TestModels.Adapter);
    }
}
