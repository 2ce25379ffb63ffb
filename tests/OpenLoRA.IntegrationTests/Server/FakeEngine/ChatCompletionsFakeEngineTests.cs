using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server.FakeEngine;

[Collection(FakeEngineCollection.Name)]
public sealed class ChatCompletionsFakeEngineTests(FakeEngineServerFixture server) : ChatCompletionsTests(server);
