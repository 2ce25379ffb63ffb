using OpenAI.Chat;
using OpenAI.Models;

namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>A running OpenLoRA server the tests talk to over loopback HTTP.</summary>
public interface ITestServer
{
    /// <summary><c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    Uri BaseAddress { get; }

    /// <summary>A client with <see cref="BaseAddress"/> set; shared, so do not change its settings.</summary>
    HttpClient Http { get; }

    ChatClient CreateChatClient(string model);

    OpenAIModelClient CreateModelClient();
}
