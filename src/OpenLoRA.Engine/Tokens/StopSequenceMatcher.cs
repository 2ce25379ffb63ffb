using System.Text;

namespace OpenLoRA.Engine.Tokens;

/// <summary>
/// Streams text while watching for stop sequences: emits only text that can no longer become part of a stop
/// sequence, holds back the longest suffix that is a prefix of one, and on a match returns the text before it.
/// </summary>
internal sealed class StopSequenceMatcher
{
    private readonly string[] _stops;
    private readonly StringBuilder _held = new();

    public StopSequenceMatcher(IReadOnlyList<string> stops)
    {
        _stops = stops.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
    }

    public StopMatch Push(string text)
    {
        if (_stops.Length == 0)
        {
            return new StopMatch(text, false);
        }

        _held.Append(text);
        var buffer = _held.ToString();
        var earliest = -1;
        foreach (var stop in _stops)
        {
            var index = buffer.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (earliest < 0 || index < earliest))
            {
                earliest = index;
            }
        }

        if (earliest >= 0)
        {
            _held.Clear();
            return new StopMatch(buffer[..earliest], true);
        }

        var keep = LongestStopPrefixSuffix(buffer);
        _held.Clear();
        _held.Append(buffer, buffer.Length - keep, keep);
        return new StopMatch(buffer[..^keep], false);
    }

    /// <summary>Releases held-back text at the end of generation.</summary>
    public string Flush()
    {
        var rest = _held.ToString();
        _held.Clear();
        return rest;
    }

    private int LongestStopPrefixSuffix(string buffer)
    {
        var best = 0;
        foreach (var stop in _stops)
        {
            for (var length = Math.Min(stop.Length - 1, buffer.Length); length > best; length--)
            {
                if (buffer.AsSpan(buffer.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    best = length;
                    break;
                }
            }
        }

        return best;
    }
}
