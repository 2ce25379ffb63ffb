namespace OpenLoRA.IntegrationTests.Server.RealServer;

[Collection(RealServerCollection.Name)]
public sealed class HostileInputRealServerTests(SmallContextServerFixture server) : HostileInputTests(server);
