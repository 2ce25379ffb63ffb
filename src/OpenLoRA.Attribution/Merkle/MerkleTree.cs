using Nethereum.Util;

namespace OpenLoRA.Attribution.Merkle;

/// <summary>
/// A Merkle tree over trace hashes, laid out exactly like OpenZeppelin's StandardMerkleTree.of(values, ["bytes32"]):
/// leaf = keccak256(keccak256(abi.encode(bytes32 traceHash))) (abi.encode of one bytes32 is the 32 bytes themselves;
/// the double hash keeps a leaf from being mistaken for an inner node), leaves sorted ascending, stored in an
/// array-based complete binary tree with leaf i at tree[length-1-i], inner node = keccak256 of its two children
/// in ascending order. Proofs are therefore accepted by MerkleProof.verify(proof, root, leaf) in Solidity, and a
/// tree built by the JS library from the same hashes has the same root. A single leaf's root is the leaf itself.
/// </summary>
public sealed class MerkleTree
{
    private readonly byte[][] _tree;
    private readonly Dictionary<string, int> _treeIndexByLeaf = new(StringComparer.Ordinal);

    private MerkleTree(byte[][] tree, int leafCount)
    {
        _tree = tree;
        LeafCount = leafCount;
        for (int i = 0; i < leafCount; i++)
        {
            int treeIndex = tree.Length - 1 - i;
            _treeIndexByLeaf.TryAdd(Convert.ToHexStringLower(tree[treeIndex]), treeIndex);
        }
    }

    public int LeafCount { get; }

    public byte[] Root => (byte[])_tree[0].Clone();

    public string RootHex => "0x" + Convert.ToHexStringLower(_tree[0]);

    /// <summary>Builds the tree over trace hashes (32 bytes each); order of input does not matter.</summary>
    public static MerkleTree Build(IEnumerable<byte[]> traceHashes)
    {
        ArgumentNullException.ThrowIfNull(traceHashes);
        List<byte[]> leaves = traceHashes.Select(LeafHash).ToList();
        if (leaves.Count == 0) throw new ArgumentException("A Merkle tree needs at least one leaf.", nameof(traceHashes));
        leaves.Sort(Compare);
        var tree = new byte[2 * leaves.Count - 1][];
        for (int i = 0; i < leaves.Count; i++) tree[tree.Length - 1 - i] = leaves[i];
        for (int i = tree.Length - 1 - leaves.Count; i >= 0; i--) tree[i] = HashPair(tree[2 * i + 1], tree[2 * i + 2]);
        return new MerkleTree(tree, leaves.Count);
    }

    public static MerkleTree Build(IEnumerable<string> traceHashesHex) =>
        Build((traceHashesHex ?? throw new ArgumentNullException(nameof(traceHashesHex))).Select(ParseHash));

    /// <summary>keccak256(bytes.concat(keccak256(abi.encode(traceHash)))).</summary>
    public static byte[] LeafHash(byte[] traceHash)
    {
        ArgumentNullException.ThrowIfNull(traceHash);
        if (traceHash.Length != 32) throw new ArgumentException("A trace hash is 32 bytes.", nameof(traceHash));
        return Keccak(Keccak(traceHash));
    }

    /// <summary>OpenZeppelin's commutative Hashes.commutativeKeccak256: keccak256(min ‖ max).</summary>
    public static byte[] HashPair(byte[] a, byte[] b)
    {
        byte[] buffer = new byte[64];
        (byte[] first, byte[] second) = Compare(a, b) <= 0 ? (a, b) : (b, a);
        first.CopyTo(buffer, 0);
        second.CopyTo(buffer, 32);
        return Keccak(buffer);
    }

    /// <summary>Sibling hashes from the leaf of <paramref name="traceHash"/> up to (not including) the root.</summary>
    public IReadOnlyList<byte[]> GetProof(byte[] traceHash)
    {
        byte[] leaf = LeafHash(traceHash);
        if (!_treeIndexByLeaf.TryGetValue(Convert.ToHexStringLower(leaf), out int index))
            throw new KeyNotFoundException("The trace hash is not a leaf of this tree.");
        var proof = new List<byte[]>();
        while (index > 0)
        {
            int sibling = index % 2 == 1 ? index + 1 : index - 1;
            proof.Add((byte[])_tree[sibling].Clone());
            index = (index - 1) / 2;
        }
        return proof;
    }

    /// <summary>MerkleProof.verify: folds the proof into the leaf with sorted-pair hashing and compares with the root.</summary>
    public static bool Verify(IReadOnlyList<byte[]> proof, byte[] root, byte[] leaf)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(leaf);
        if (root.Length != 32 || leaf.Length != 32) return false;
        byte[] computed = leaf;
        foreach (byte[] node in proof)
        {
            if (node is not { Length: 32 }) return false;
            computed = HashPair(computed, node);
        }
        return computed.AsSpan().SequenceEqual(root);
    }

    private static byte[] ParseHash(string hex)
    {
        string body = hex is not null && hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex ?? "";
        if (body.Length != 64 || !HexText.IsHex(body)) throw new ArgumentException($"'{hex}' is not a 32-byte hex hash.", nameof(hex));
        return Convert.FromHexString(body);
    }

    private static int Compare(byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b);

    private static byte[] Keccak(byte[] data) => Sha3Keccack.Current.CalculateHash(data);
}
