namespace OpenLoRA.IntegrationTests.Billing;

/// <summary>The billing exactness tests: one server whose database they inject failures into, one test at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExactBillingServerCollection : ICollectionFixture<ExactBillingServerFixture>
{
    public const string Name = "billing server with injected write failures";
}
