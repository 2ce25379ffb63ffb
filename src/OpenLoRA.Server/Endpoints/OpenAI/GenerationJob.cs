using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Scheduling;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>A validated request, ready for <see cref="GenerationRunner"/>.</summary>
/// <param name="StartTimestamp">When the request arrived (<see cref="TimeProvider.GetTimestamp"/>), for latency metrics.</param>
/// <param name="Timeout">The request's deadline, counted from <paramref name="StartTimestamp"/>.</param>
/// <param name="TraceId">The response's attribution trace id, or null when it is not traced.</param>
/// <param name="Account">The paying account, or null when billing is off.</param>
internal sealed record GenerationJob(
    ModelTarget Target,
    PreparedPrompt Prompt,
    GenerationSettings Settings,
    IGenerationFormat Format,
    long StartTimestamp,
    TimeSpan Timeout,
    string? TraceId,
    string? Account);
