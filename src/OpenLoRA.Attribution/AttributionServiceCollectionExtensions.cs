using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Attribution.Traces;

namespace OpenLoRA.Attribution;

public static class AttributionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AttributionOptions"/> (bound from <paramref name="configuration"/> when given, validated
    /// on start), the <see cref="SpanAttributor"/>, and the <see cref="TraceSigner"/> (resolving it without a
    /// configured key throws, so a server that signs fails loudly rather than emitting unsigned traces).
    /// </summary>
    public static IServiceCollection AddAttribution(this IServiceCollection services, IConfiguration? configuration = null,
        Action<AttributionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<AttributionOptions> options = services.AddOptions<AttributionOptions>();
        if (configuration is not null) options.Bind(configuration);
        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<AttributionOptions>, AttributionOptionsValidator>();

        services.AddSingleton(sp => new SpanAttributor(sp.GetRequiredService<IOptions<AttributionOptions>>().Value.ToParameters()));
        services.AddSingleton(sp =>
        {
            AttributionOptions o = sp.GetRequiredService<IOptions<AttributionOptions>>().Value;
            if (!string.IsNullOrEmpty(o.SignerKeystorePath)) return TraceSigner.FromKeystoreFile(o.SignerKeystorePath, o.SignerKeystorePassword ?? "");
            if (!string.IsNullOrEmpty(o.SignerPrivateKey)) return TraceSigner.FromPrivateKey(o.SignerPrivateKey);
            throw new InvalidOperationException("No trace-signing key configured: set Attribution:SignerKeystorePath or Attribution:SignerPrivateKey.");
        });
        return services;
    }
}
