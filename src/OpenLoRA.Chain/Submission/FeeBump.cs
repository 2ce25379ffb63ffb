using System.Numerics;

namespace OpenLoRA.Chain.Submission;

internal static class FeeBump
{
    /// <summary>
    /// Nodes (geth, anvil) only replace a pending transaction on the same nonce when both fee caps rise by at
    /// least 10%; 12.5% (rounded up, +1 wei) clears that and matches the EIP-1559 base-fee step, so a replacement
    /// also keeps up with a base fee that rose for one block.
    /// </summary>
    public static BigInteger Bump(BigInteger previous, BigInteger suggested)
    {
        var bumped = (previous * 9 + 7) / 8 + 1;
        return BigInteger.Max(bumped, suggested);
    }
}
