namespace OpenLoRA.Server.Endpoints.OpenAI;

internal static class OpenAIEndpoints
{
    /// <summary>The OpenAI-compatible API under <c>/v1</c>.</summary>
    public static IEndpointRouteBuilder MapOpenAIEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1");
        v1.MapPost("/chat/completions", static context => context.RequestServices.GetRequiredService<ChatCompletionsEndpoint>().HandleAsync(context));
        v1.MapPost("/completions", static context => context.RequestServices.GetRequiredService<CompletionsEndpoint>().HandleAsync(context));
        v1.MapGet("/models", static context => context.RequestServices.GetRequiredService<ModelsEndpoint>().ListAsync(context));
        v1.MapGet("/models/{id}", static context => context.RequestServices.GetRequiredService<ModelsEndpoint>().GetAsync(context));
        return endpoints;
    }
}
