using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server.FakeEngine;

[Collection(FakeEngineCollection.Name)]
public sealed class HostileInputFakeEngineTests(FakeEngineServerFixture server) : HostileInputTests(server);
