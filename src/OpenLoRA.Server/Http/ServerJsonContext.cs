using System.Text.Json.Serialization;
using OpenLoRA.Server.Endpoints.Accounts.Contracts;
using OpenLoRA.Server.Endpoints.Adapters.Contracts;
using OpenLoRA.Server.Endpoints.Attribution.Contracts;
using OpenLoRA.Server.Endpoints.Chain.Contracts;
using OpenLoRA.Server.Endpoints.Health;
using OpenLoRA.Server.Endpoints.OpenAI.Contracts;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Http;

/// <summary>Source-generated (reflection-free) serializers for every body the server reads or writes.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(CompletionResponse))]
[JsonSerializable(typeof(ModelListResponse))]
[JsonSerializable(typeof(ModelResponse))]
[JsonSerializable(typeof(OpenAIErrorResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(HealthDetail))]
[JsonSerializable(typeof(AdapterResponse))]
[JsonSerializable(typeof(AdapterListResponse))]
[JsonSerializable(typeof(AdapterDeletedResponse))]
[JsonSerializable(typeof(TraceResponse))]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(BatchListResponse))]
[JsonSerializable(typeof(DatanetResponse))]
[JsonSerializable(typeof(ChallengeRequest))]
[JsonSerializable(typeof(ChallengeResponse))]
[JsonSerializable(typeof(CreateAccountRequest))]
[JsonSerializable(typeof(ApiKeyResponse))]
[JsonSerializable(typeof(AccountResponse))]
[JsonSerializable(typeof(PayeeResponse))]
[JsonSerializable(typeof(PriceListResponse))]
[JsonSerializable(typeof(ChainResponse))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
