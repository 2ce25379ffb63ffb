using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary>Tests of the HTTP layer in-process over the fake engine.</summary>
[CollectionDefinition(Name)]
public sealed class FakeEngineCollection : ICollectionFixture<FakeEngineServerFixture>
{
    public const string Name = "fake engine";
}
