using System.Text;
using OpenLoRA.Engine.Tokens;

namespace OpenLoRA.Engine.Tests.Tokens;

public sealed class Utf8TokenDecoderTests
{
    [Fact]
    public void Append_EmojiSplitAcrossTokens_HeldUntilComplete()
    {
        var decoder = new Utf8TokenDecoder();
        var bytes = Encoding.UTF8.GetBytes("a😀b");

        Assert.Equal("a", decoder.Append(bytes.AsSpan(0, 2)));
        Assert.Equal("", decoder.Append(bytes.AsSpan(2, 2)));
        Assert.Equal("😀b", decoder.Append(bytes.AsSpan(4)));
        Assert.Equal("", decoder.Flush());
    }

    [Theory]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]
    [InlineData(new byte[] { 0xFF, 0x41 })]
    public void Append_BytesThatCanNeverFormACharacter_BecomeReplacementCharacters(byte[] bytes)
    {
        var decoder = new Utf8TokenDecoder();

        var text = decoder.Append(bytes) + decoder.Flush();

        Assert.Equal(Encoding.UTF8.GetString(bytes), text);
        Assert.Contains('\uFFFD', text);
    }

    [Fact]
    public void Flush_IncompleteCharacterAtTheEnd_BecomesReplacementCharacter()
    {
        var decoder = new Utf8TokenDecoder();

        Assert.Equal("x", decoder.Append([0x78, 0xE2, 0x82]));
        Assert.Equal("\uFFFD", decoder.Flush());
    }

    [Fact]
    public void Append_RandomBytesInRandomSplits_EqualsDecodingAllAtOnceAndIsAlwaysWellFormed()
    {
        var random = new Random(20261124);
        for (var round = 0; round < 500; round++)
        {
            var bytes = new byte[random.Next(1, 64)];
            random.NextBytes(bytes);
            var valid = Encoding.UTF8.GetBytes("é€😀中");
            if (round % 2 == 0 && bytes.Length >= valid.Length)
            {
                // Mix in valid multi-byte text so partial characters are common, not only garbage.
                valid.CopyTo(bytes, random.Next(0, bytes.Length - valid.Length + 1));
            }

            var decoder = new Utf8TokenDecoder();
            var output = new StringBuilder();
            var position = 0;
            while (position < bytes.Length)
            {
                var length = Math.Min(random.Next(1, 5), bytes.Length - position);
                var piece = decoder.Append(bytes.AsSpan(position, length));
                Assert.True(IsWellFormed(piece));
                output.Append(piece);
                position += length;
            }

            output.Append(decoder.Flush());
            Assert.Equal(Encoding.UTF8.GetString(bytes), output.ToString());
        }
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
