using OpenLoRA.Engine.Adapters.Publishing;

namespace OpenLoRA.Engine.Tests.Adapters.Publishing;

/// <summary>The name rule over every UTF-16 code unit in every position, not a list of examples.</summary>
public sealed class AdapterNameRuleTests
{
    [Fact]
    public void Check_EveryCharacterInsideAName_OnlyTheUrlSafeSetIsAccepted()
    {
        var wrong = new List<string>();
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var safe = char.IsAsciiLetterOrDigit((char)c) || c is '.' or '_' or '-';
            if ((AdapterNameRule.Check($"a{(char)c}b") is null) != safe)
            {
                wrong.Add($"U+{c:X4}");
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public void Check_EveryCharacterFirstOrLast_OnlyLettersAndDigitsMayStart()
    {
        var wrong = new List<string>();
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var character = (char)c;
            if ((AdapterNameRule.Check($"{character}a") is null) != char.IsAsciiLetterOrDigit(character)
                || (AdapterNameRule.Check($"a{character}") is null) != (char.IsAsciiLetterOrDigit(character) || c is '.' or '_' or '-'))
            {
                wrong.Add($"U+{c:X4}");
            }
        }

        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".a")]
    [InlineData("-a")]
    [InlineData("_a")]
    [InlineData(" a")]
    [InlineData("a ")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    public void Check_DotSegmentsLeadingPunctuationWhitespaceAndHashes_AreRefused(string name)
    {
        Assert.NotNull(AdapterNameRule.Check(name));
    }

    [Fact]
    public void Check_Lengths_OneToSixtyFourAccepted()
    {
        for (var length = 0; length <= 1000; length++)
        {
            Assert.Equal(length is >= 1 and <= AdapterNameRule.MaxLength, AdapterNameRule.Check(new string('x', length)) is null);
        }
    }

    [Fact]
    public void Check_RefusedName_MessageEscapesWhatCannotBeShown()
    {
        var message = AdapterNameRule.Check("a\u0000b\nc\u200b" + new string('z', 5000))!;

        Assert.Contains("\\u0000", message, StringComparison.Ordinal);
        Assert.Contains("\\u000a", message, StringComparison.Ordinal);
        Assert.Contains("\\u200b", message, StringComparison.Ordinal);
        Assert.Contains("(5006 characters)", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }
}
