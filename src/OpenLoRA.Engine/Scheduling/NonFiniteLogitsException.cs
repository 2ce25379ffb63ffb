namespace OpenLoRA.Engine.Scheduling;

/// <summary>
/// A step gave this sequence logits that are NaN or infinite: its adapter (or, without one, the model) overflows the
/// forward pass. Sampling from such a row would emit token 0 over and over, so the sequence is ended with this error
/// instead; the API answers code <c>adapter_numerical_error</c> and charges nothing.
/// </summary>
public sealed class NonFiniteLogitsException(string? adapterName, string? adapterSha256)
    : Exception(adapterName is null
        ? "The base model produced non-finite logits (NaN or infinity)."
        : $"The adapter '{adapterName}' drove the base model's logits to NaN or infinity.")
{
    /// <summary>The adapter's name, or null when the sequence ran on the base model alone.</summary>
    public string? AdapterName { get; } = adapterName;

    public string? AdapterSha256 { get; } = adapterSha256;
}
