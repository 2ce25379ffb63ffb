using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Options;

namespace OpenLoRA.Billing.Pricing;

/// <summary>Makes <see cref="PriceQuote"/>s from the configured base-model prices and platform fee plus the adapter's
/// publisher-set price.</summary>
public sealed class PriceCatalog
{
    private readonly Dictionary<string, (BigInteger Input, BigInteger Output)> _baseModels;
    private readonly int _platformFeeBps;

    public PriceCatalog(IOptions<BillingOptions> options)
    {
        BillingOptions o = options.Value;
        _platformFeeBps = o.PlatformFeeBps;
        _baseModels = o.BaseModelPrices.ToDictionary(
            p => p.Key,
            p => (Parse(p.Value.InputPer1K), Parse(p.Value.OutputPer1K)),
            StringComparer.Ordinal);
    }

    /// <exception cref="KeyNotFoundException">No price is configured for <paramref name="baseModel"/>.</exception>
    public PriceQuote Quote(string baseModel, BigInteger adapterInputPer1K, BigInteger adapterOutputPer1K)
    {
        if (!_baseModels.TryGetValue(baseModel, out (BigInteger Input, BigInteger Output) price))
        {
            throw new KeyNotFoundException($"No price is configured for base model '{baseModel}' (Billing:BaseModelPrices).");
        }

        return new PriceQuote(adapterInputPer1K, adapterOutputPer1K, price.Input, price.Output, _platformFeeBps);
    }

    private static BigInteger Parse(string text) => BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
