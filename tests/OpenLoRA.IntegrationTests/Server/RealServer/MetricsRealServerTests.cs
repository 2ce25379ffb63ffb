namespace OpenLoRA.IntegrationTests.Server.RealServer;

[Collection(RealServerCollection.Name)]
public sealed class MetricsRealServerTests(SmallContextServerFixture server) : MetricsTests(server);
