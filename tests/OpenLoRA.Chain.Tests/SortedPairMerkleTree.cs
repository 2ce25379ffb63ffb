using Nethereum.Util;

namespace OpenLoRA.Chain.Tests;

/// <summary>
/// A validator's view of a batch: the OpenZeppelin StandardMerkleTree leaf encoding
/// (keccak256(keccak256(abi.encode(bytes32)))) and sorted-pair inner nodes, so proofs check against
/// MerkleProof.verify on-chain and against this class off-chain.
/// </summary>
internal sealed class SortedPairMerkleTree
{
    private readonly List<byte[][]> _levels = [];

    public SortedPairMerkleTree(IReadOnlyList<byte[]> leafValues)
    {
        Leaves = [.. leafValues.Select(LeafHash)];
        var level = Leaves.ToArray();
        _levels.Add(level);
        while (level.Length > 1)
        {
            var next = new byte[(level.Length + 1) / 2][];
            for (var i = 0; i < level.Length; i += 2)
            {
                // An odd node out is promoted unchanged, as OpenZeppelin's processProof expects when it has no sibling.
                next[i / 2] = i + 1 < level.Length ? HashPair(level[i], level[i + 1]) : level[i];
            }

            _levels.Add(next);
            level = next;
        }
    }

    public IReadOnlyList<byte[]> Leaves { get; }

    public byte[] Root => _levels[^1][0];

    public static byte[] LeafHash(byte[] value32)
    {
        // abi.encode(bytes32) is the 32 bytes themselves.
        var sha3 = Sha3Keccack.Current;
        return sha3.CalculateHash(sha3.CalculateHash(value32));
    }

    public IReadOnlyList<byte[]> Proof(int leafIndex)
    {
        var proof = new List<byte[]>();
        var index = leafIndex;
        foreach (var level in _levels.Take(_levels.Count - 1))
        {
            var sibling = index ^ 1;
            if (sibling < level.Length)
            {
                proof.Add(level[sibling]);
            }

            index /= 2;
        }

        return proof;
    }

    public static byte[] ProcessProof(IReadOnlyList<byte[]> proof, byte[] leaf) =>
        proof.Aggregate(leaf, HashPair);

    private static byte[] HashPair(byte[] a, byte[] b)
    {
        var (first, second) = a.AsSpan().SequenceCompareTo(b) <= 0 ? (a, b) : (b, a);
        return Sha3Keccack.Current.CalculateHash([.. first, .. second]);
    }
}
