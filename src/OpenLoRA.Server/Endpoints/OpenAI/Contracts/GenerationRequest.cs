using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

/// <summary>The fields chat and legacy completions share. Everything is nullable so "absent" can be told from a value.</summary>
internal abstract class GenerationRequest
{
    public string? Model { get; set; }

    public int? MaxTokens { get; set; }

    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    /// <summary>Not in OpenAI's API; the common extension (vLLM, llama.cpp server).</summary>
    public int? TopK { get; set; }

    /// <summary>Not in OpenAI's API; the common extension (vLLM, llama.cpp server).</summary>
    public float? MinP { get; set; }

    public long? Seed { get; set; }

    /// <summary>Not in OpenAI's API; vLLM's extension: keep generating past end-of-generation tokens (load tests).</summary>
    public bool? IgnoreEos { get; set; }

    public float? FrequencyPenalty { get; set; }

    public float? PresencePenalty { get; set; }

    [JsonConverter(typeof(StopSequencesConverter))]
    public IReadOnlyList<string>? Stop { get; set; }

    public int? N { get; set; }

    public bool? Stream { get; set; }

    public StreamOptionsRequest? StreamOptions { get; set; }

    /// <summary>The caller's end-user id; accepted for compatibility and written to the request log scope.</summary>
    public string? User { get; set; }
}
