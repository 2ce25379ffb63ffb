using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLoRA.IntegrationTests.Infrastructure;
using OpenLoRA.IntegrationTests.Infrastructure.Fakes;
using OpenLoRA.Server.Billing;
using OpenLoRA.Server.Endpoints.Health;
using OpenLoRA.Server.Endpoints.OpenAI;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary>Readiness (behind <c>/health</c>) and what a request gets while the models load.</summary>
public sealed class ModelReadinessTests
{
    [Fact]
    public void IsReady_CatalogEmpty_IsFalse()
    {
        Assert.False(Readiness(new FakeModelCatalog(loaded: false), TestModels.BaseModel).IsReady);
    }

    [Fact]
    public void IsReady_AllConfiguredModelsLoaded_IsTrue()
    {
        Assert.True(Readiness(new FakeModelCatalog(), TestModels.BaseModel).IsReady);
    }

    [Fact]
    public void IsReady_AConfiguredModelMissing_IsFalse()
    {
        Assert.False(Readiness(new FakeModelCatalog(), TestModels.BaseModel, "other-model").IsReady);
    }

    [Fact]
    public void Resolve_WhileLoading_Throws503ModelsLoading()
    {
        var catalog = new FakeModelCatalog(loaded: false);
        var resolver = new ModelResolver(catalog, Readiness(catalog, TestModels.BaseModel), new AdapterPriceGuard(NullLogger<AdapterPriceGuard>.Instance));

        var error = Assert.Throws<ApiException>(() => resolver.Resolve(TestModels.Adapter));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal("models_loading", error.Error.Code);
    }

    [Fact]
    public void Resolve_LoadedButUnknown_Throws404ModelNotFound()
    {
        var catalog = new FakeModelCatalog();
        var resolver = new ModelResolver(catalog, Readiness(catalog, TestModels.BaseModel), new AdapterPriceGuard(NullLogger<AdapterPriceGuard>.Instance));

        var error = Assert.Throws<ApiException>(() => resolver.Resolve("no-such-model"));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("model_not_found", error.Error.Code);
    }

    private static ModelReadiness Readiness(FakeModelCatalog catalog, params string[] configured)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(configured.Select((name, i) => new KeyValuePair<string, string?>($"OpenLoRA:Engine:BaseModels:{i}:Name", name)))
            .Build();
        return new ModelReadiness(catalog, configuration);
    }
}
