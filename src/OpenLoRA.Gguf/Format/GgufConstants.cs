namespace OpenLoRA.Gguf.Format;

internal static class GgufConstants
{
    /// <summary>"GGUF" read as a little-endian u32.</summary>
    public const uint Magic = 0x46554747;

    public const uint Version = 3;

    /// <summary>Alignment of tensor data when the file has no <c>general.alignment</c> key (gguf.h).</summary>
    public const uint DefaultAlignment = 32;

    /// <summary>ggml keeps tensor names in a 64-byte buffer with a terminating NUL (GGML_MAX_NAME).</summary>
    public const int MaxTensorNameBytes = 63;

    /// <summary>ggml tensors have at most four dimensions (GGML_MAX_DIMS).</summary>
    public const int MaxDimensions = 4;

    public const string AlignmentKey = "general.alignment";

    public const string ArchitectureKey = "general.architecture";
}
