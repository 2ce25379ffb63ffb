using Microsoft.Extensions.Options;
using OpenLoRA.Engine.Sampling;
using OpenLoRA.Server.Endpoints.OpenAI.Contracts;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>Checks the shared request fields against OpenAI's documented ranges and builds the sampling settings.</summary>
internal sealed class RequestValidator(IOptions<ServerOptions> options)
{
    /// <summary>OpenAI's limit on stop sequences.</summary>
    private const int MaxStopSequences = 4;

    /// <param name="maxTokens">The completion budget the endpoint read (chat has two names for it).</param>
    /// <param name="maxTokensParam">The field <paramref name="maxTokens"/> came from, for the error's <c>param</c>.</param>
    public GenerationSettings Validate(GenerationRequest request, int? maxTokens, string maxTokensParam)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw ApiException.InvalidRequest("You must provide a model parameter.", "model", "missing_required_parameter");
        }

        if (request.N is { } n && n != 1)
        {
            throw ApiException.InvalidRequest($"Only n=1 is supported; got {n}.", "n", "invalid_value");
        }

        var stream = request.Stream ?? false;
        if (request.StreamOptions is not null && !stream)
        {
            throw ApiException.InvalidRequest(
                "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options", "invalid_value");
        }

        if (maxTokens < 1)
        {
            throw ApiException.InvalidRequest($"'{maxTokensParam}' must be at least 1; got {maxTokens}.", maxTokensParam, "invalid_value");
        }

        var sampling = new SamplingParameters
        {
            Temperature = InRange(request.Temperature, 0, 2, "temperature") ?? 1f,
            TopP = InRange(request.TopP, 0, 1, "top_p") ?? 1f,
            TopK = NonNegative(request.TopK, "top_k") ?? 0,
            MinP = InRange(request.MinP, 0, 1, "min_p") ?? 0f,

            // OpenAI's seed is a signed 64-bit integer; every value maps to a distinct engine seed.
            Seed = request.Seed is { } seed ? unchecked((ulong)seed) : null,
            FrequencyPenalty = InRange(request.FrequencyPenalty, -2, 2, "frequency_penalty") ?? 0f,
            PresencePenalty = InRange(request.PresencePenalty, -2, 2, "presence_penalty") ?? 0f,
            Stop = ValidateStop(request.Stop),
            MaxTokens = maxTokens ?? options.Value.DefaultMaxTokens,
            IgnoreEos = request.IgnoreEos ?? false,
        };
        return new GenerationSettings(request.Model, sampling, stream, request.StreamOptions?.IncludeUsage ?? false, request.User);
    }

    private static float? InRange(float? value, float min, float max, string param)
    {
        // Written so NaN and infinities fail too.
        if (value is { } v && !(v >= min && v <= max))
        {
            throw ApiException.InvalidRequest($"'{param}' must be between {min} and {max}; got {v}.", param, "invalid_value");
        }

        return value;
    }

    private static int? NonNegative(int? value, string param) => value is < 0
        ? throw ApiException.InvalidRequest($"'{param}' must be 0 (off) or more; got {value}.", param, "invalid_value")
        : value;

    private static IReadOnlyList<string> ValidateStop(IReadOnlyList<string>? stop)
    {
        if (stop is null)
        {
            return [];
        }

        if (stop.Count > MaxStopSequences)
        {
            throw ApiException.InvalidRequest($"At most {MaxStopSequences} stop sequences are allowed; got {stop.Count}.", "stop", "invalid_value");
        }

        if (stop.Any(string.IsNullOrEmpty))
        {
            throw ApiException.InvalidRequest("Stop sequences must not be empty.", "stop", "invalid_value");
        }

        return stop;
    }
}
