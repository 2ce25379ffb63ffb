namespace OpenLoRA.IntegrationTests.Server.RealServer;

[Collection(RealServerCollection.Name)]
public sealed class ChatCompletionsRealServerTests(SmallContextServerFixture server) : ChatCompletionsTests(server);
