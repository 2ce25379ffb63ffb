using OpenLoRA.Gguf.Peft;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Gguf.Tests.Peft;

public sealed class RotaryPermutationTests
{
    [Fact]
    public void PermuteRows_TwoHeadsOfFourRows_InterleavesHalvesLikeLlamaCpp()
    {
        var rows = Enumerable.Range(0, 8).Select(i => (byte)i).ToArray();

        var permuted = RotaryPermutation.PermuteRows(rows, 8, 1, 2);

        // convert_hf_to_gguf.py: w.reshape(2, 2, 2).swapaxes(1, 2).reshape(8) gives 0,2,1,3 | 4,6,5,7.
        Assert.Equal(new byte[] { 0, 2, 1, 3, 4, 6, 5, 7 }, permuted);
    }

    [Theory]
    [InlineData(4, 16)]
    [InlineData(2, 16)]
    [InlineData(32, 128)]
    public void PermuteRows_HuggingFaceRotatePairs_BecomeAdjacentLlamaCppPairs(int heads, int headSize)
    {
        // Row value = its Hugging Face index; rotate_half pairs j with j + d/2, llama.cpp's rope pairs 2j with 2j + 1.
        var rowCount = heads * headSize;
        var rows = Enumerable.Range(0, rowCount).SelectMany(i => BitConverter.GetBytes(i)).ToArray();

        var permuted = RotaryPermutation.PermuteRows(rows, rowCount, 4, heads);

        for (var h = 0; h < heads; h++)
        {
            for (var j = 0; j < headSize / 2; j++)
            {
                Assert.Equal(h * headSize + j, BitConverter.ToInt32(permuted, 4 * (h * headSize + 2 * j)));
                Assert.Equal(h * headSize + headSize / 2 + j, BitConverter.ToInt32(permuted, 4 * (h * headSize + 2 * j + 1)));
            }
        }
    }

    [Fact]
    public void UnpermuteRows_AfterPermuteRows_IsIdentityAndMatchesTheTestWritersOwnInverse()
    {
        var rows = Enumerable.Range(0, 64 * 3).Select(i => (byte)(i * 7)).ToArray();

        var permuted = RotaryPermutation.PermuteRows(rows, 64, 3, 4);

        Assert.Equal(rows, RotaryPermutation.UnpermuteRows(permuted, 64, 3, 4));
        Assert.Equal(rows, PeftAdapterWriter.ToHuggingFaceRows(permuted, 3, 4));
    }

    [Theory]
    [InlineData(64, 3)]
    [InlineData(12, 4)]
    [InlineData(8, 0)]
    public void PermuteRows_RowsThatDoNotSplitIntoEvenHeads_Refuses(int rowCount, int heads)
    {
        Assert.False(RotaryPermutation.CanSplit(rowCount, heads));
        Assert.Throws<PeftFormatException>(() => RotaryPermutation.PermuteRows(new byte[rowCount], rowCount, 1, heads));
    }
}
