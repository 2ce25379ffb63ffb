using Nethereum.Util;
using OpenLoRA.Attribution.Merkle;

namespace OpenLoRA.Attribution.Tests.Merkle;

public sealed class MerkleTreeTests
{
    private static byte[] Filled(int value) => Enumerable.Repeat((byte)value, 32).ToArray();

    private static byte[] K(byte[] data) => Sha3Keccack.Current.CalculateHash(data);

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    [Fact]
    public void Keccak_Empty_KnownAnswer() =>
        Assert.Equal(Hex("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"), K([]));

    [Fact]
    public void LeafHash_KnownAnswer_DoubleKeccakOfAbiEncodedBytes32()
    {
        // Computed independently with js-sha3: keccak256(keccak256(0x0101…01)).
        Assert.Equal(Hex("ce895d90d3a0ed5312ae8dcfff377010c4aa1b7e9f1fa69836a3802d014c313e"), MerkleTree.LeafHash(Filled(1)));
        Assert.Equal(K(K(Filled(1))), MerkleTree.LeafHash(Filled(1)));
    }

    [Fact]
    public void Build_OneLeaf_RootIsLeafAndProofEmpty()
    {
        MerkleTree tree = MerkleTree.Build([Filled(1)]);
        Assert.Equal(MerkleTree.LeafHash(Filled(1)), tree.Root);
        Assert.Empty(tree.GetProof(Filled(1)));
        Assert.True(MerkleTree.Verify([], tree.Root, MerkleTree.LeafHash(Filled(1))));
    }

    [Fact]
    public void Build_TwoLeaves_RootIsSortedPairHash()
    {
        byte[] a = MerkleTree.LeafHash(Filled(1)), b = MerkleTree.LeafHash(Filled(2));
        byte[] expected = a.AsSpan().SequenceCompareTo(b) < 0 ? K([.. a, .. b]) : K([.. b, .. a]);
        MerkleTree tree = MerkleTree.Build([Filled(1), Filled(2)]);
        Assert.Equal(expected, tree.Root);
        Assert.Equal("0xc47aba36d45add76b43fb8cfe13e4a9ee53d408aadcf3351d97f1a0d95166d36", tree.RootHex);
        Assert.Equal([b], tree.GetProof(Filled(1)));
    }

    [Fact]
    public void Build_ThreeLeaves_MatchesOpenZeppelinLayout()
    {
        // OZ: sorted leaves L0 < L1 < L2 sit at tree[4], tree[3], tree[2]; tree[1] = H(tree[3], tree[4]); root = H(tree[1], tree[2]).
        byte[][] leaves = new[] { 1, 2, 3 }.Select(i => MerkleTree.LeafHash(Filled(i))).OrderBy(l => Convert.ToHexString(l)).ToArray();
        byte[] node1 = MerkleTree.HashPair(leaves[1], leaves[0]);
        byte[] root = MerkleTree.HashPair(node1, leaves[2]);
        MerkleTree tree = MerkleTree.Build([Filled(3), Filled(1), Filled(2)]);
        Assert.Equal(root, tree.Root);
        // Same root from an independent JS implementation of StandardMerkleTree's layout.
        Assert.Equal("0xd0721d2dc79379fabc8f9fedaf82df1f99c98be5da4b6affa7ff9a42314b4e1c", tree.RootHex);
    }

    [Fact]
    public void Build_FiveLeaves_MatchesIndependentImplementation()
    {
        MerkleTree tree = MerkleTree.Build(Enumerable.Range(1, 5).Select(Filled));
        Assert.Equal("0x79aab7c0a1a9180805943f05bdc1736b8aeb5b45ccde479da091d0e41c4e3f4a", tree.RootHex);
    }

    [Fact]
    public void HashPair_IsCommutative()
    {
        Assert.Equal(MerkleTree.HashPair(Filled(1), Filled(2)), MerkleTree.HashPair(Filled(2), Filled(1)));
        Assert.Equal(K([.. Filled(1), .. Filled(2)]), MerkleTree.HashPair(Filled(2), Filled(1)));
    }

    [Fact]
    public void GetProof_EveryLeafSizes1To50_Verifies()
    {
        for (int n = 1; n <= 50; n++)
        {
            byte[][] hashes = Enumerable.Range(0, n).Select(i => K([(byte)n, (byte)i])).ToArray();
            MerkleTree tree = MerkleTree.Build(hashes);
            Assert.Equal(n, tree.LeafCount);
            foreach (byte[] hash in hashes)
            {
                IReadOnlyList<byte[]> proof = tree.GetProof(hash);
                Assert.True(MerkleTree.Verify(proof, tree.Root, MerkleTree.LeafHash(hash)));
                Assert.InRange(proof.Count, 0, (int)Math.Ceiling(Math.Log2(n)));
            }
        }
    }

    [Fact]
    public void Verify_TamperedProofs_Fail()
    {
        byte[][] hashes = Enumerable.Range(0, 9).Select(i => K([(byte)i])).ToArray();
        MerkleTree tree = MerkleTree.Build(hashes);
        byte[] leaf = MerkleTree.LeafHash(hashes[4]);
        var proof = tree.GetProof(hashes[4]).ToList();
        Assert.True(MerkleTree.Verify(proof, tree.Root, leaf));

        for (int i = 0; i < proof.Count; i++)
        {
            var flipped = proof.Select(p => (byte[])p.Clone()).ToList();
            flipped[i][7] ^= 1;
            Assert.False(MerkleTree.Verify(flipped, tree.Root, leaf));
        }
        Assert.False(MerkleTree.Verify(proof.Take(proof.Count - 1).ToList(), tree.Root, leaf));
        Assert.False(MerkleTree.Verify([.. proof, Filled(9)], tree.Root, leaf));
        Assert.False(MerkleTree.Verify(proof, tree.Root, MerkleTree.LeafHash(hashes[5])));
        Assert.False(MerkleTree.Verify(proof, tree.Root, hashes[4]));
        Assert.False(MerkleTree.Verify(proof, Filled(0), leaf));
        Assert.False(MerkleTree.Verify([new byte[31]], tree.Root, leaf));
    }

    [Fact]
    public void Build_InputOrder_DoesNotChangeRoot()
    {
        byte[][] hashes = Enumerable.Range(0, 13).Select(i => K([(byte)i])).ToArray();
        Assert.Equal(MerkleTree.Build(hashes).Root, MerkleTree.Build(hashes.Reverse()).Root);
        Assert.Equal(MerkleTree.Build(hashes).Root, MerkleTree.Build(hashes.Select(h => "0x" + Convert.ToHexStringLower(h))).Root);
    }

    [Fact]
    public void Build_InvalidInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => MerkleTree.Build(Array.Empty<byte[]>()));
        Assert.Throws<ArgumentException>(() => MerkleTree.Build([new byte[31]]));
        Assert.Throws<ArgumentException>(() => MerkleTree.Build(["0x12"]));
        Assert.Throws<KeyNotFoundException>(() => MerkleTree.Build([Filled(1)]).GetProof(Filled(2)));
    }
}
