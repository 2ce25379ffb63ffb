using Microsoft.Extensions.Options;
using Nethereum.Util;

namespace OpenLoRA.Chain;

/// <summary>Fails start-up on a chain configuration that could only fail later, mid-request or mid-batch.</summary>
internal sealed class ChainOptionsValidator : IValidateOptions<ChainOptions>
{
    public ValidateOptionsResult Validate(string? name, ChainOptions options)
    {
        if (options.Mode == ChainMode.Off)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!Uri.TryCreate(options.RpcUrl, UriKind.Absolute, out var rpc) || (rpc.Scheme != Uri.UriSchemeHttp && rpc.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("RpcUrl must be an absolute http(s) URL.");
        }

        if (options.Confirmations is < 0 or > 64)
        {
            failures.Add("Confirmations must be between 0 and 64.");
        }

        if (options.ResendAfter <= TimeSpan.Zero || options.PollInterval <= TimeSpan.Zero || options.MaxRetryDelay <= TimeSpan.Zero)
        {
            failures.Add("ResendAfter, PollInterval and MaxRetryDelay must be positive.");
        }

        var addresses = new[]
        {
            (Name: nameof(options.TokenAddress), Value: options.TokenAddress),
            (Name: nameof(options.RegistryAddress), Value: options.RegistryAddress),
            (Name: nameof(options.EscrowAddress), Value: options.EscrowAddress),
        };
        foreach (var (field, value) in addresses)
        {
            if (value is not null && !AddressUtil.Current.IsValidEthereumAddressHexFormat(value))
            {
                failures.Add($"{field} is not a 0x-prefixed 20-byte address.");
            }
        }

        var allAddresses = addresses.All(a => a.Value is not null);
        if (options.Mode == ChainMode.Remote)
        {
            if (options.ChainId == 0)
            {
                failures.Add("ChainId is required in remote mode.");
            }

            if (!allAddresses)
            {
                failures.Add("TokenAddress, RegistryAddress and EscrowAddress are required in remote mode.");
            }

            if (string.IsNullOrWhiteSpace(options.SubmitterKeyEnvironmentVariable) && string.IsNullOrWhiteSpace(options.SubmitterKeystorePath))
            {
                failures.Add("Remote mode needs SubmitterKeyEnvironmentVariable or SubmitterKeystorePath.");
            }
        }
        else if (!allAddresses && string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Local mode needs either all three contract addresses or a DataDirectory with chain-deployment.json.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
