namespace OpenLoRA.IntegrationTests.Server.RealServer;

[Collection(RealServerCollection.Name)]
public sealed class ErrorResponseRealServerTests(SmallContextServerFixture server) : ErrorResponseTests(server);
