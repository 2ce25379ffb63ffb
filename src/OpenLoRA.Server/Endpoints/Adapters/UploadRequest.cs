using OpenLoRA.Billing.Pricing;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>The text fields of an upload, checked. Prices keep their text too: the signed message carries them as sent.</summary>
internal sealed record UploadRequest(
    string Name,
    string BaseModel,
    string? Description,
    decimal PriceInputPer1K,
    string PriceInputText,
    decimal PriceOutputPer1K,
    string PriceOutputText,
    string ClaimedSha256,
    string? Timestamp,
    string? Signature,
    string? Publisher)
{
    /// <summary>Longest description kept; it is shown in listings, not a README.</summary>
    public const int MaxDescriptionLength = 4096;

    public static UploadRequest From(UploadForm form, IModelCatalog catalog)
    {
        if (form.Fields.Keys.FirstOrDefault(field => !UploadParts.Fields.Contains(field)) is { } unknown)
        {
            throw UploadErrors.Invalid(
                unknown, $"Unknown field '{unknown}'; the upload form's fields are {string.Join(", ", UploadParts.Fields.Order(StringComparer.Ordinal))}.", "unknown_parameter");
        }

        var name = Required(form, UploadParts.Name);
        if (AdapterNames.Check(name, catalog) is { } nameProblem)
        {
            throw UploadErrors.Invalid(UploadParts.Name, nameProblem);
        }

        var baseModel = Required(form, UploadParts.BaseModel);
        if (!catalog.BaseModels.Any(m => string.Equals(m.Name, baseModel, StringComparison.Ordinal)))
        {
            throw UploadErrors.Invalid(UploadParts.BaseModel, $"'{baseModel}' is not a base model of this server.");
        }

        var description = form.Field(UploadParts.Description);
        if (description is { Length: > MaxDescriptionLength })
        {
            throw UploadErrors.Invalid(UploadParts.Description, $"'description' is longer than {MaxDescriptionLength} characters.");
        }

        var priceInput = Required(form, UploadParts.PriceInput);
        var priceOutput = Required(form, UploadParts.PriceOutput);
        var sha256 = Required(form, UploadParts.Sha256);
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            throw UploadErrors.Invalid(UploadParts.Sha256, "'sha256' must be 64 hex digits.");
        }

        return new UploadRequest(
            name,
            baseModel,
            string.IsNullOrEmpty(description) ? null : description,
            Price(priceInput, UploadParts.PriceInput),
            priceInput,
            Price(priceOutput, UploadParts.PriceOutput),
            priceOutput,
            sha256.ToLowerInvariant(),
            form.Field(UploadParts.Timestamp),
            form.Field(UploadParts.Signature),
            form.Field(UploadParts.Publisher));
    }

    private static string Required(UploadForm form, string part) =>
        form.Field(part) is { Length: > 0 } value ? value : throw UploadErrors.Missing(part);

    // Refused here, before anything is stored: a price billing cannot charge would otherwise be served, and every
    // listing and request that prices it would fail. The text a client signs must have exactly one reading, and a
    // decimal would silently round digits past its precision.
    private static decimal Price(string text, string part) =>
        PublisherPrice.TryParse(text, out _, out var open) is { } problem
            ? throw UploadErrors.Invalid(part, $"'{part}' must be {PublisherPrice.Bound}: {problem}.")
            : open;
}
