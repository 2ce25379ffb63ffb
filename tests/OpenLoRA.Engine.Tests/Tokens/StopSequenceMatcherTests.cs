using OpenLoRA.Engine.Tokens;

namespace OpenLoRA.Engine.Tests.Tokens;

public sealed class StopSequenceMatcherTests
{
    [Fact]
    public void Push_NoStops_PassesTextThrough()
    {
        var matcher = new StopSequenceMatcher([]);

        Assert.Equal(new StopMatch("hello", false), matcher.Push("hello"));
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void Push_StopSplitAcrossPushes_HoldsPrefixThenStopsWithoutEmittingIt()
    {
        var matcher = new StopSequenceMatcher(["END"]);

        Assert.Equal(new StopMatch("abc ", false), matcher.Push("abc E"));
        Assert.Equal(new StopMatch("", false), matcher.Push("N"));
        Assert.Equal(new StopMatch("", true), matcher.Push("D and more"));
    }

    [Fact]
    public void Push_PrefixThatDoesNotComplete_IsReleased()
    {
        var matcher = new StopSequenceMatcher(["END"]);

        Assert.Equal(new StopMatch("x", false), matcher.Push("xEN"));
        Assert.Equal(new StopMatch("ENx", false), matcher.Push("x"));
    }

    [Fact]
    public void Push_OverlappingCandidates_StopsAtTheEarliestOccurrence()
    {
        var matcher = new StopSequenceMatcher(["abc", "bcd", "aab"]);

        Assert.Equal(new StopMatch("", false), matcher.Push("a"));
        Assert.Equal(new StopMatch("", false), matcher.Push("a"));
        Assert.Equal(new StopMatch("", true), matcher.Push("bcd"));
    }

    [Fact]
    public void Push_TwoStopsInOnePush_EmitsTextBeforeTheFirst()
    {
        var matcher = new StopSequenceMatcher(["zz", "\n\n"]);

        Assert.Equal(new StopMatch("one", true), matcher.Push("one\n\ntwo zz"));
    }

    [Fact]
    public void Flush_HeldPrefixAtTheEnd_IsReturned()
    {
        var matcher = new StopSequenceMatcher(["</s>", ""]);

        Assert.Equal(new StopMatch("text", false), matcher.Push("text</"));
        Assert.Equal("</", matcher.Flush());
    }
}
