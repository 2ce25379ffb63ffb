using Microsoft.Extensions.Options;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Server.Attribution;
using OpenLoRA.Server.Billing;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>What every generation endpoint needs, as one dependency instead of a long constructor list.</summary>
internal sealed record GenerationServices(
    RequestValidator Validator,
    ModelResolver Resolver,
    IInferenceService Inference,
    GenerationRunner Runner,
    TimeProvider Time,
    IOptions<ServerOptions> Options,
    IResponseTracer Tracer,
    IInferenceBilling Billing);
