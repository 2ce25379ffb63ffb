using Microsoft.Extensions.Options;

namespace OpenLoRA.Attribution;

/// <summary>Rejects inconsistent settings at start instead of at the first request. Messages never include the key.</summary>
internal sealed class AttributionOptionsValidator : IValidateOptions<AttributionOptions>
{
    public ValidateOptionsResult Validate(string? name, AttributionOptions options)
    {
        var failures = new List<string>();
        try
        {
            options.ToParameters().Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            failures.Add($"Attribution:{e.ParamName} is invalid ({e.ActualValue}).");
        }
        bool hasKey = !string.IsNullOrEmpty(options.SignerPrivateKey);
        bool hasKeystore = !string.IsNullOrEmpty(options.SignerKeystorePath);
        if (hasKey && hasKeystore)
            failures.Add("Attribution: set SignerPrivateKey or SignerKeystorePath, not both.");
        if (hasKey)
        {
            string hex = options.SignerPrivateKey!.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? options.SignerPrivateKey[2..] : options.SignerPrivateKey;
            if (hex.Length != 64 || !HexText.IsHex(hex)) failures.Add("Attribution:SignerPrivateKey must be 32 bytes of hex.");
        }
        if (hasKeystore && options.SignerKeystorePassword is null)
            failures.Add("Attribution:SignerKeystorePassword is required with SignerKeystorePath.");
        if (hasKeystore && !File.Exists(options.SignerKeystorePath))
            failures.Add($"Attribution:SignerKeystorePath '{options.SignerKeystorePath}' does not exist.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
