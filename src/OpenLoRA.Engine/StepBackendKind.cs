namespace OpenLoRA.Engine;

/// <summary>Which step backend runs a base model.</summary>
public enum StepBackendKind
{
    /// <summary>The ggml backend when the model is a supported llama-family model, else LLamaSharp (the reason is logged).</summary>
    Auto,

    /// <summary>OpenLoRA's own forward pass on ggml: sequences on different adapters share one pass. Start-up fails if the model is not supported.</summary>
    Ggml,

    /// <summary>LLamaSharp (llama.cpp): one decode per adapter group each step.</summary>
    LlamaSharp,
}
