namespace OpenLoRA.Engine.Adapters.Publishing;

/// <param name="TempFilePath">The GGUF to publish, inside <see cref="IAdapterPublisher.TempDirectory"/>.</param>
/// <param name="Sha256">Lower-case hex sha256 of that GGUF file (computed while streaming).</param>
/// <param name="SignatureId">A unique id of the signature (e.g. hex keccak of its bytes), recorded so it can never be replayed.</param>
/// <param name="SignatureExpires">When the signature's timestamp goes stale; the replay record may be purged after it.</param>
/// <param name="Format">"gguf" or "peft".</param>
public sealed record AdapterUpload(
    string TempFilePath,
    string Sha256,
    string Name,
    string BaseModel,
    string? Description,
    decimal PriceInputPer1K,
    decimal PriceOutputPer1K,
    string Publisher,
    string SignatureId,
    DateTimeOffset SignatureExpires,
    string Format);
