using System.ComponentModel.DataAnnotations;

namespace OpenLoRA.Engine;

/// <summary>One base model to serve and where its adapters live.</summary>
public sealed class BaseModelOptions
{
    [Required]
    public string Name { get; set; } = "";

    /// <summary>GGUF file; relative paths are resolved against the content root.</summary>
    [Required]
    public string Path { get; set; } = "";

    /// <summary>Folder of adapter .gguf files validated at start; an invalid file is skipped with a logged reason.</summary>
    public string? AdapterDirectory { get; set; }

    /// <summary>KV cells shared by all sequences of this model (tokens).</summary>
    [Range(64, 1 << 20)]
    public int ContextSize { get; set; } = 4096;

    /// <summary>Largest context one sequence may use (prompt + completion); 0 means <see cref="ContextSize"/>.</summary>
    [Range(0, 1 << 20)]
    public int MaxSequenceLength { get; set; }

    /// <summary>Concurrent sequences (llama.cpp allows at most 256).</summary>
    [Range(1, 256)]
    public int MaxSequences { get; set; } = 16;

    /// <summary>Tokens per step across decode and chunked prefill.</summary>
    [Range(16, 65536)]
    public int StepTokenBudget { get; set; } = 512;

    /// <summary>Requests waiting for a slot before 429.</summary>
    [Range(1, 100000)]
    public int QueueCapacity { get; set; } = 256;

    /// <summary>0 means all cores.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }
}
