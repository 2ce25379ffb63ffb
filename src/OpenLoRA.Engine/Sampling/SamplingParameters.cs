namespace OpenLoRA.Engine.Sampling;

/// <summary>OpenAI-style sampling settings for one request. Defaults follow the OpenAI API.</summary>
public sealed record SamplingParameters
{
    /// <summary>0 means greedy (argmax).</summary>
    public float Temperature { get; init; } = 1f;

    public float TopP { get; init; } = 1f;

    /// <summary>0 disables top-k.</summary>
    public int TopK { get; init; }

    /// <summary>0 disables min-p.</summary>
    public float MinP { get; init; }

    /// <summary>Same seed, same inputs: same tokens. Null draws a seed per request.</summary>
    public ulong? Seed { get; init; }

    public float FrequencyPenalty { get; init; }

    public float PresencePenalty { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];

    public int MaxTokens { get; init; } = 256;

    /// <summary>Keep generating past end-of-generation tokens (benchmarks).</summary>
    public bool IgnoreEos { get; init; }

    /// <summary>
    /// Who the request is served for (an API key's identity); free slots are shared fairly between tenants by
    /// virtual token counters. Not a sampling setting, but carried with the request's other per-request options.
    /// </summary>
    public string Tenant { get; init; } = "";
}
