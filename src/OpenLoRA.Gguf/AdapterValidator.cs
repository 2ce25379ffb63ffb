using OpenLoRA.Gguf.Validation;

namespace OpenLoRA.Gguf;

/// <summary>
/// Decides whether a LoRA adapter file may be handed to llama.cpp for a given base model. llama.cpp kills the
/// process on several kinds of bad file (LLAMA-NOTES.md: wrong key types, zero or 3-D dimensions, integer tensor
/// types, NaN weights, truncated data), so everything it would trip over is refused here first, with a reason.
/// </summary>
public static class AdapterValidator
{
    /// <summary>Largest accepted |weight| and |alpha|; see <see cref="AdapterLimits.MaxAbsoluteValue"/> for why.</summary>
    public const float MaxAbsoluteValue = AdapterLimits.MaxAbsoluteValue;

    /// <summary>Validates the file at <paramref name="adapterPath"/>; I/O failures (missing file, no access) throw.</summary>
    public static AdapterValidationResult Validate(string adapterPath, BaseModelShapes baseModel)
    {
        using var stream = GgufReader.OpenRead(adapterPath);
        return Validate(stream, baseModel);
    }

    public static AdapterValidationResult Validate(Stream adapter, BaseModelShapes baseModel)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(baseModel);
        try
        {
            var file = GgufReader.Read(adapter);
            var reason = AdapterMetadataRules.Check(file, baseModel.Architecture, out var alpha)
                ?? TensorLayoutRules.Check(file);
            if (reason is not null)
            {
                return AdapterValidationResult.Invalid(reason);
            }

            reason = LoraPairRules.Check(file, baseModel, out var rank, out var targets)
                ?? TensorValueRules.Check(adapter, file);
            return reason is null
                ? AdapterValidationResult.Valid(rank, alpha, targets, file.FileLength)
                : AdapterValidationResult.Invalid(reason);
        }
        catch (GgufFormatException ex)
        {
            return AdapterValidationResult.Invalid(ex.Message);
        }
    }
}
