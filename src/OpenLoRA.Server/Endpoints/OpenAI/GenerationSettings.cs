using OpenLoRA.Engine.Sampling;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>The validated, engine-ready form of the fields chat and completions share.</summary>
internal sealed record GenerationSettings(string Model, SamplingParameters Sampling, bool Stream, bool IncludeUsage, string? User);
