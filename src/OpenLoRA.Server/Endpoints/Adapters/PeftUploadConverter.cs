using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;
using OpenLoRA.Engine.Models;
using OpenLoRA.Gguf.Peft;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>
/// Turns an uploaded PEFT adapter into the GGUF the publisher stores, beside the other temp files of the upload.
/// The converter refuses what llama.cpp cannot apply (DoRA, modules_to_save, shapes that do not fit the base model)
/// with a reason, which becomes the 400. The base model's header (shapes, head counts) is a plain cache entry keyed by
/// the model file's hash: reading it costs a parse of the whole vocabulary, and it never changes for that hash.
/// </summary>
internal sealed class PeftUploadConverter(IModelCatalog catalog, IMemoryCache cache)
{
    public async Task<UploadedFile> ConvertAsync(
        string baseModel, UploadedFile weights, UploadedFile config, UploadWorkspace workspace, CancellationToken cancellationToken)
    {
        var model = catalog.BaseModels.First(m => string.Equals(m.Name, baseModel, StringComparison.Ordinal));
        var output = workspace.NewPath("converted.gguf");
        try
        {
            var baseModelHeader = cache.GetOrCreate($"peft-base:{model.Sha256}", entry =>
            {
                entry.Size = 1;
                return PeftBaseModel.FromFile(model.Path);
            })!;
            PeftConverter.Convert(weights.Path, config.Path, baseModelHeader, output);
        }
        catch (PeftFormatException ex)
        {
            throw UploadErrors.Invalid(UploadParts.PeftWeights, $"The PEFT adapter cannot be converted: {ex.Message}", "invalid_adapter");
        }

        await using var file = File.OpenRead(output);
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        return new UploadedFile(output, sha256, file.Length);
    }
}
