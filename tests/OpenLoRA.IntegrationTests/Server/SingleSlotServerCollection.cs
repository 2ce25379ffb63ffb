namespace OpenLoRA.IntegrationTests.Server;

/// <summary>Tests against a real server with one slot and a queue of one (see <see cref="SingleSlotServerFixture"/>).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SingleSlotServerCollection : ICollectionFixture<SingleSlotServerFixture>
{
    public const string Name = "single-slot real server";
}
