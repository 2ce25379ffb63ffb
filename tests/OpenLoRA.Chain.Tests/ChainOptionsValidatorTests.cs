using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenLoRA.Chain.Tests;

public sealed class ChainOptionsValidatorTests
{
    private const string Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    [Fact]
    public void Validate_Off_Succeeds()
    {
        Assert.True(new ChainOptionsValidator().Validate(null, new ChainOptions()).Succeeded);
    }

    [Fact]
    public void Validate_RemoteWithoutAddressesOrChainId_FailsNamingThem()
    {
        var result = new ChainOptionsValidator().Validate(null, new ChainOptions { Mode = ChainMode.Remote, RpcUrl = "https://rpc.example" });

        Assert.True(result.Failed);
        Assert.Contains("ChainId", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("RegistryAddress", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadRpcUrlOrAddress_Fails()
    {
        var result = new ChainOptionsValidator().Validate(null, new ChainOptions
        {
            Mode = ChainMode.Local,
            RpcUrl = "localhost:8545",
            RegistryAddress = "0x1234",
            DataDirectory = "data",
        });

        Assert.Contains("RpcUrl", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("RegistryAddress is not", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AddChain_LocalModeFromConfiguration_BindsAndResolvesDevChainId()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenLoRA:Chain:Mode"] = "local",
            ["OpenLoRA:Chain:RpcUrl"] = "http://127.0.0.1:8545",
            ["OpenLoRA:Chain:TokenAddress"] = Address,
            ["OpenLoRA:Chain:RegistryAddress"] = Address,
            ["OpenLoRA:Chain:EscrowAddress"] = Address,
            ["OpenLoRA:Chain:Confirmations"] = "2",
        }).Build();
        using var provider = new ServiceCollection().AddChain(configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ChainOptions>>().Value;
        var connection = provider.GetRequiredService<ChainConnection>();

        Assert.Equal(ChainMode.Local, options.Mode);
        Assert.Equal(2, options.Confirmations);
        Assert.Equal(31337UL, options.EffectiveChainId);
        Assert.Equal(Address, connection.Registry.Address);
    }

    [Fact]
    public void AddChain_InvalidRemote_ThrowsOnOptionsAccess()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenLoRA:Chain:Mode"] = "remote",
        }).Build();
        using var provider = new ServiceCollection().AddChain(configuration).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChainOptions>>().Value);
    }
}
