using System.Net;
using System.Security.Cryptography;
using OpenLoRA.Gguf;
using OpenLoRA.Gguf.TestModels;
using OpenLoRA.IntegrationTests.Infrastructure;
using OpenLoRA.IntegrationTests.Validation;
using Xunit.Abstractions;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>
/// Uploads that would kill llama.cpp (one file per crash class of LLAMA-NOTES.md, plus seeded byte-level damage of a
/// good adapter) go through the real HTTP path: each bad one is a 400 with the reason, nothing is left in the temp
/// folder, and the server still serves afterwards.
/// </summary>
[Collection(AdapterServerCollection.Name)]
public sealed class AdapterUploadCorpusTests(AdapterServerFixture server, ITestOutputHelper output)
{
    private const int MutantSeed = 20240815;

    [Fact]
    public async Task Upload_EveryBadAdapterCatalogFile_Returns400WithItsReason()
    {
        var key = new PublisherKey();
        var files = BadAdapterCatalog.WriteAll(server.Folder("bad-catalog"));

        Assert.NotEmpty(files);
        foreach (var bad in files)
        {
            using var response = await server.Http.UploadAsync(new SignedUpload($"bad-{bad.Name}", await File.ReadAllBytesAsync(bad.Path), key));

            var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest);
            Assert.Contains(bad.ExpectedReason, error.GetProperty("message").GetString());
        }

        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Upload_FuzzedMutants_RejectedOnesGet400AndAcceptedOnes201()
    {
        var key = new PublisherKey();
        var good = server.VariantPath(201, "tiny-mlp-r8");
        var mutants = AdapterMutants.Of(good, MutantSeed)
            .Where((_, index) => index % 3 == 0)
            .DistinctBy(m => Convert.ToHexStringLower(SHA256.HashData(m.Bytes)))
            .ToList();
        var folder = server.Folder("mutants");
        var rejected = 0;
        foreach (var mutant in mutants)
        {
            var path = Path.Combine(folder, $"{mutant.Name}.gguf");
            await File.WriteAllBytesAsync(path, mutant.Bytes);
            var verdict = AdapterValidator.Validate(path, server.Shapes);
            using var response = await server.Http.UploadAsync(new SignedUpload($"mutant-{mutant.Name}", mutant.Bytes, key));

            if (verdict.IsValid)
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"{mutant.Description}: validator accepts it, server said {(int)response.StatusCode} {body}");
            }
            else
            {
                rejected++;
                var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest);
                Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()), mutant.Description);
            }
        }

        output.WriteLine($"{mutants.Count} mutants uploaded, {rejected} rejected by the validator");
        Assert.True(mutants.Count >= 50, $"only {mutants.Count} mutants");
        Assert.InRange(rejected, 1, mutants.Count);
        await AssertStillServingAsync();
    }

    private async Task AssertStillServingAsync()
    {
        await ChatProbe.CompleteAsync(server, TestModels.Adapter);
        var leftovers = Directory.EnumerateFiles(Path.Combine(server.WorkDirectory, "data"), "upload-*", SearchOption.AllDirectories).ToList();
        Assert.True(leftovers.Count == 0, $"temp files left behind: {string.Join(", ", leftovers)}");
    }
}
