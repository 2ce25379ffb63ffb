using System.Security.Cryptography;
using OpenLoRA.Attribution.Traces;

namespace OpenLoRA.Attribution.Tests.Traces;

public sealed class TraceHashesTests
{
    [Fact]
    public void Tokens_KnownInput_Sha256OfLittleEndianInt32()
    {
        byte[] expected = SHA256.HashData([1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0xfe, 0xff, 0xff, 0xff]);
        Assert.Equal("0x" + Convert.ToHexStringLower(expected), TraceHashes.Tokens([1, int.MaxValue, -2]));
    }

    [Fact]
    public void Tokens_LongerThanBuffer_SameAsOneShot()
    {
        int[] tokens = Enumerable.Range(0, 5000).ToArray();
        byte[] bytes = tokens.SelectMany(BitConverter.GetBytes).ToArray();
        Assert.Equal("0x" + Convert.ToHexStringLower(SHA256.HashData(bytes)), TraceHashes.Tokens(tokens));
    }

    [Fact]
    public void Request_Empty_KnownSha256() =>
        Assert.Equal("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", TraceHashes.Request([]));

    [Fact]
    public void NewTraceId_Valid128BitHexAndUnique()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => TraceIds.New()).ToList();
        Assert.All(ids, id => Assert.True(TraceIds.IsValid(id)));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.False(TraceIds.IsValid("xyz"));
    }
}
