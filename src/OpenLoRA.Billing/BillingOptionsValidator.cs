using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Options;
using OpenLoRA.Billing.Accounts;

namespace OpenLoRA.Billing;

/// <summary>Rejects inconsistent settings at start instead of at the first charge.</summary>
internal sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        var failures = new List<string>();
        if (options.PublisherShareBps < 0 || options.ContributorsShareBps < 0 || options.ProtocolShareBps < 0)
        {
            failures.Add("Billing: share basis points cannot be negative.");
        }
        else if (options.PublisherShareBps + options.ContributorsShareBps + options.ProtocolShareBps != 10_000)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Billing: PublisherShareBps + ContributorsShareBps + ProtocolShareBps must be 10000 (is {options.PublisherShareBps + options.ContributorsShareBps + options.ProtocolShareBps})."));
        }

        if (options.PlatformFeeBps is < 0 or > 100_000)
        {
            failures.Add("Billing:PlatformFeeBps must be between 0 and 100000.");
        }

        if (!EthAddress.IsValid(options.ProtocolAddress))
        {
            failures.Add("Billing:ProtocolAddress must be a 0x-prefixed 20-byte hex address.");
        }
        else if (EthAddress.Normalize(options.ProtocolAddress) == EthAddress.Zero)
        {
            failures.Add("Billing:ProtocolAddress cannot be the zero address (the escrow rejects credits to it).");
        }

        if (options.ChallengeLifetime <= TimeSpan.Zero || options.ChallengeLifetime > TimeSpan.FromDays(1))
        {
            failures.Add("Billing:ChallengeLifetime must be positive and at most one day.");
        }

        foreach ((string model, ModelPrice price) in options.BaseModelPrices)
        {
            if (!IsAmount(price.InputPer1K) || !IsAmount(price.OutputPer1K))
            {
                failures.Add($"Billing:BaseModelPrices:{model} prices must be decimal digits of OPEN base units.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsAmount(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= 78 && text.All(char.IsAsciiDigit)
        && BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) >= 0;
}
