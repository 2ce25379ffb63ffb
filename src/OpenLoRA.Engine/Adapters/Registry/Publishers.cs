namespace OpenLoRA.Engine.Adapters.Registry;

/// <summary>Publisher identities are 0x addresses; hex case carries no meaning (EIP-55 checksums aside).</summary>
internal static class Publishers
{
    public static bool Same(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
