using System.Text.Json.Serialization.Metadata;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Server.Auth;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>
/// The flow chat and legacy completions share: read, validate, resolve the model, prepare the prompt, generate.
/// Field errors are reported before model errors, as OpenAI does.
/// </summary>
internal abstract class GenerationEndpoint<TRequest>(GenerationServices services)
    where TRequest : class
{
    protected abstract JsonTypeInfo<TRequest> RequestType { get; }

    public async Task HandleAsync(HttpContext context)
    {
        var started = services.Time.GetTimestamp();

        // The key comes first, as with OpenAI: an unauthenticated caller learns nothing about models or fields.
        var account = await services.Billing.AuthenticateAsync(context);
        var timeout = RequestDeadline.Resolve(context.Request, services.Options.Value);
        var request = await RequestBodyReader.ReadAsync(context.Request, RequestType, context.RequestAborted);
        var settings = Validate(services.Validator, request);

        // Free slots are shared between tenants by virtual token counters (the engine's fairness policy).
        settings = settings with { Sampling = settings.Sampling with { Tenant = account ?? TenantIdentity.Of(context.Request, settings.User) } };
        var target = services.Resolver.Resolve(settings.Model);
        var prompt = Prepare(services.Inference, target, request);
        var traceId = services.Tracer.Begin(target);
        var format = CreateFormat(target.ResponseModelId, services.Time.GetUtcNow().ToUnixTimeSeconds(), traceId);
        await services.Runner.RunAsync(context, new GenerationJob(target, prompt, settings, format, started, timeout, traceId, account));
    }

    /// <summary>Checks the whole body (shared fields and the endpoint's own) without touching the engine.</summary>
    protected abstract GenerationSettings Validate(RequestValidator validator, TRequest request);

    protected abstract PreparedPrompt Prepare(IInferenceService inference, ModelTarget target, TRequest request);

    protected abstract IGenerationFormat CreateFormat(string model, long created, string? traceId);
}
