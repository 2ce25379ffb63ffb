using System.Buffers;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>Who a publisher message is signed by, and for which chain: the first two lines after its title.</summary>
public sealed record PublisherIdentity
{
    private static readonly SearchValues<char> _hexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    public PublisherIdentity(string address, ulong chainId)
    {
        if (!IsAddress(address))
        {
            throw new ArgumentException($"'{address}' is not a 0x-prefixed 20-byte hex address.", nameof(address));
        }

        Address = address.ToLowerInvariant();
        ChainId = chainId;
    }

    /// <summary>Lower-case 0x hex, whatever case it was given in.</summary>
    public string Address { get; }

    /// <summary>The chain the server signs for (GET /v1/chain's <c>chain_id</c>; 0 when the chain is off).</summary>
    public ulong ChainId { get; }

    /// <summary>0x and 40 hex digits, in any case (no checksum is required: the text carries the lower-case form).</summary>
    public static bool IsAddress(string? text) =>
        text is { Length: 42 } && text.StartsWith("0x", StringComparison.Ordinal) && !text.AsSpan(2).ContainsAnyExcept(_hexDigits);
}
