namespace OpenLoRA.IntegrationTests.Server.RealServer;

[Collection(RealServerCollection.Name)]
public sealed class CompletionsRealServerTests(SmallContextServerFixture server) : CompletionsTests(server);
