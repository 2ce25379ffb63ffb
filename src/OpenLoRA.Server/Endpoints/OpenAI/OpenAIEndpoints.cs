using Microsoft.AspNetCore.Mvc;
using OpenLoRA.Server.Endpoints.OpenAI.Contracts;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Endpoints.OpenAI;

internal static class OpenAIEndpoints
{
    private const string Json = "application/json";

    /// <summary>The OpenAI-compatible API under <c>/v1</c>.</summary>
    public static IEndpointRouteBuilder MapOpenAIEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1").WithTags("OpenAI");

        // The handlers take the HttpContext and write their own bodies, so what they read and write is declared here
        // for the OpenAPI document (a handler with typed parameters, unlike a bare RequestDelegate, is in the API description).
        v1.MapPost("/chat/completions", static (HttpContext context, [FromServices] ChatCompletionsEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithName("CreateChatCompletion")
            .WithSummary("Chat completion on a base model or an adapter")
            .WithDescription("`model` names an adapter (`name` or `name@sha256:<hash>`) or a base model. With `stream: true` the answer is `text/event-stream`: `chat.completion.chunk` events, then `[DONE]`.")
            .Accepts<ChatCompletionRequest>(Json)
            .Produces<ChatCompletionResponse>(StatusCodes.Status200OK, Json, "text/event-stream")
            .WithGenerationErrors();
        v1.MapPost("/completions", static (HttpContext context, [FromServices] CompletionsEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithName("CreateCompletion")
            .WithSummary("Text completion on a base model or an adapter")
            .WithDescription("Legacy completions: a raw `prompt`, no chat template. Streams like chat completions when `stream` is true.")
            .Accepts<CompletionRequest>(Json)
            .Produces<CompletionResponse>(StatusCodes.Status200OK, Json, "text/event-stream")
            .WithGenerationErrors();
        v1.MapGet("/models", static (HttpContext context, [FromServices] ModelsEndpoint endpoint) => endpoint.ListAsync(context))
            .WithName("ListModels")
            .WithSummary("Base models, then their adapters")
            .Produces<ModelListResponse>(StatusCodes.Status200OK, Json);
        v1.MapGet("/prices", static (HttpContext context, [FromServices] ModelsEndpoint endpoint) => endpoint.ListPricesAsync(context))
            .WithName("ListPrices")
            .WithSummary("Price per 1,000 input and output tokens of every model, platform fee included")
            .Produces<Accounts.Contracts.PriceListResponse>(StatusCodes.Status200OK, Json);
        v1.MapGet("/models/{id}", static (HttpContext context, [FromServices] ModelsEndpoint endpoint) => endpoint.GetAsync(context))
            .WithName("RetrieveModel")
            .WithSummary("One base model or adapter")
            .Produces<ModelResponse>(StatusCodes.Status200OK, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status404NotFound, Json);
        return endpoints;
    }

    /// <summary>The failures a generation may answer with, all in OpenAI's error shape.</summary>
    private static RouteHandlerBuilder WithGenerationErrors(this RouteHandlerBuilder builder) => builder
        .Produces<OpenAIErrorResponse>(StatusCodes.Status400BadRequest, Json)
        .Produces<OpenAIErrorResponse>(StatusCodes.Status404NotFound, Json)
        .Produces<OpenAIErrorResponse>(StatusCodes.Status429TooManyRequests, Json)
        .Produces<OpenAIErrorResponse>(StatusCodes.Status503ServiceUnavailable, Json)
        .Produces<OpenAIErrorResponse>(StatusCodes.Status504GatewayTimeout, Json);
}
