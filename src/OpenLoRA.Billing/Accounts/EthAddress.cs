namespace OpenLoRA.Billing.Accounts;

/// <summary>Account and payee addresses are stored in one spelling, lowercase 0x-prefixed hex, so checksummed and
/// lowercase inputs name the same row and sorting by the stored text is sorting by address bytes.</summary>
public static class EthAddress
{
    public const string Zero = "0x0000000000000000000000000000000000000000";

    public static bool IsValid(string? address) =>
        address is { Length: 42 } && address.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
        && address.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF") == false;

    /// <exception cref="ArgumentException">Not a 0x-prefixed 20-byte hex address.</exception>
    public static string Normalize(string address, string? paramName = null)
    {
        if (!IsValid(address))
        {
            throw new ArgumentException($"'{address}' is not a 0x-prefixed 20-byte hex address.", paramName ?? nameof(address));
        }

        return "0x" + address[2..].ToLowerInvariant();
    }
}
