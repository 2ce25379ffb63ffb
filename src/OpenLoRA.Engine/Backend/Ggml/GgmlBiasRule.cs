namespace OpenLoRA.Engine.Backend.Ggml;

/// <summary>Whether an architecture's Q/K/V projections carry biases (llama.cpp's load_tensors flags).</summary>
internal enum GgmlBiasRule
{
    None,
    Optional,
    Required,
}
