namespace OpenLoRA.IntegrationTests.Server.RealServer;

[Collection(RealServerCollection.Name)]
public sealed class ModelsRealServerTests(SmallContextServerFixture server) : ModelsTests(server);
