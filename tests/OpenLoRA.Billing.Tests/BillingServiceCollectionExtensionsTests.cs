using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenLoRA.Billing.Accounts;
using OpenLoRA.Billing.Epochs;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Billing.Pricing;
using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing.Tests;

public sealed class BillingServiceCollectionExtensionsTests : IDisposable
{
    private readonly TestBilling _billing = new();

    public void Dispose() => _billing.Dispose();

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build();

    [Fact]
    public async Task AddBilling_FromConfiguration_ResolvesServicesOverHostDatabase()
    {
        IConfiguration config = Config(
            ("ProtocolAddress", TestBilling.Protocol),
            ("PlatformFeeBps", "250"),
            ("ChallengeLifetime", "00:10:00"),
            ("BaseModelPrices:tiny-llama:InputPer1K", "1000000000000000"),
            ("BaseModelPrices:tiny-llama:OutputPer1K", "2000000000000000"));
        var services = new ServiceCollection();
        services.AddSingleton(_billing.Database);
        services.AddBilling(config);
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(_billing.Database, provider.GetRequiredService<BillingDatabase>());
        Assert.NotNull(provider.GetRequiredService<AccountService>());
        Assert.NotNull(provider.GetRequiredService<EpochSettler>());
        PriceQuote quote = provider.GetRequiredService<PriceCatalog>().Quote("tiny-llama", 5, 7);
        Assert.Equal(new PriceQuote(5, 7, 1_000_000_000_000_000, 2_000_000_000_000_000, 250), quote);
        Assert.Throws<KeyNotFoundException>(() => provider.GetRequiredService<PriceCatalog>().Quote("other", 0, 0));
        await _billing.DepositAsync(TestBilling.Address(1), 10, 1);
        Assert.Equal(10, (await provider.GetRequiredService<BillingLedger>().GetAccountAsync(TestBilling.Address(1)))!.Balance);
    }

    [Fact]
    public void AddBilling_ConnectionStringOnly_OpensItsOwnDatabase()
    {
        var services = new ServiceCollection();
        services.AddBilling(Config(("ProtocolAddress", TestBilling.Protocol), ("ConnectionString", _billing.ConnectionString)));
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<BillingDatabase>().EnsureSchema();
    }

    [Theory]
    [InlineData("PublisherShareBps", "6999")]
    [InlineData("ProtocolAddress", "0x00")]
    [InlineData("ProtocolAddress", "0x0000000000000000000000000000000000000000")]
    [InlineData("PlatformFeeBps", "-1")]
    [InlineData("ChallengeLifetime", "00:00:00")]
    [InlineData("BaseModelPrices:m:InputPer1K", "1.5")]
    public void AddBilling_InvalidOption_ValidationFails(string key, string value)
    {
        var values = new Dictionary<string, string?> { ["ProtocolAddress"] = TestBilling.Protocol, [key] = value };
        var services = new ServiceCollection();
        services.AddBilling(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BillingOptions>>().Value);
    }

    [Fact]
    public void EnsureSchema_TwiceAndFromTwoInstances_Idempotent()
    {
        _billing.Database.EnsureSchema();
        _billing.Database.EnsureSchema();
        using TestBilling reopened = _billing.Reopen();

        reopened.Database.EnsureSchema();
    }
}
