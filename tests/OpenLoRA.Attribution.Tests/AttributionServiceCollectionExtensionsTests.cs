using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Attribution.Tests.Traces;
using OpenLoRA.Attribution.Traces;

namespace OpenLoRA.Attribution.Tests;

public sealed class AttributionServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddAttribution(configuration.GetSection(AttributionOptions.SectionName)).BuildServiceProvider();
    }

    [Fact]
    public void AddAttribution_BoundOptions_ResolvesAttributorAndSigner()
    {
        using ServiceProvider provider = Build(new()
        {
            ["Attribution:MinSpanTokens"] = "8",
            ["Attribution:MaxOccurrencesPerSpan"] = "10",
            ["Attribution:SignerPrivateKey"] = TraceFixtures.PrivateKey,
        });
        SpanAttributor attributor = provider.GetRequiredService<SpanAttributor>();
        Assert.Equal(8, attributor.Parameters.MinSpanTokens);
        Assert.Equal(10, attributor.Parameters.MaxOccurrencesPerSpan);
        Assert.Equal(TraceFixtures.PrivateKeyAddress, provider.GetRequiredService<TraceSigner>().Address);
        Assert.DoesNotContain(TraceFixtures.PrivateKey[2..], provider.GetRequiredService<IOptions<AttributionOptions>>().Value.ToString());
    }

    [Fact]
    public void AddAttribution_Defaults_MinSpanSix()
    {
        using ServiceProvider provider = new ServiceCollection().AddAttribution().BuildServiceProvider();
        Assert.Equal(6, provider.GetRequiredService<SpanAttributor>().Parameters.MinSpanTokens);
    }

    [Theory]
    [InlineData("Attribution:MinSpanTokens", "0", "MinSpanTokens")]
    [InlineData("Attribution:MaxOccurrencesPerSpan", "0", "MaxOccurrencesPerSpan")]
    [InlineData("Attribution:SignerPrivateKey", "0x12", "SignerPrivateKey")]
    [InlineData("Attribution:SignerKeystorePath", "/nonexistent/key.json", "SignerKeystore")]
    public void AddAttribution_InvalidOptions_FailValidationWithoutEchoingKey(string key, string value, string expected)
    {
        using ServiceProvider provider = Build(new() { [key] = value });
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AttributionOptions>>().Value);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AddAttribution_KeyAndKeystore_FailValidation()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("k.json"), "{}");
        using ServiceProvider provider = Build(new()
        {
            ["Attribution:SignerPrivateKey"] = TraceFixtures.PrivateKey,
            ["Attribution:SignerKeystorePath"] = dir.File("k.json"),
            ["Attribution:SignerKeystorePassword"] = "pw",
        });
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AttributionOptions>>().Value);
        Assert.Contains("not both", e.Message);
        Assert.DoesNotContain(TraceFixtures.PrivateKey[2..], e.Message);
    }

    [Fact]
    public void AddAttribution_NoKey_ResolvingSignerThrows()
    {
        using ServiceProvider provider = new ServiceCollection().AddAttribution().BuildServiceProvider();
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<TraceSigner>());
    }
}
