using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>The official OpenAI client pointed at a test server.</summary>
internal static class OpenAIClients
{
    public static ChatClient Chat(Uri baseAddress, string model) => new(model, new ApiKeyCredential("x"), Options(baseAddress));

    public static OpenAIModelClient Models(Uri baseAddress) => new(new ApiKeyCredential("x"), Options(baseAddress));

    // No retries: the client's default policy would retry 429/5xx and hide what the server answered.
    private static OpenAIClientOptions Options(Uri baseAddress) => new()
    {
        Endpoint = new Uri(baseAddress, "/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TestTimeouts.Request,
    };
}
