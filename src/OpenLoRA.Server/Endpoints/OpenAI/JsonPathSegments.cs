using System.Globalization;
using System.Text;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>
/// The serializer's JSON paths (<c>$.messages[0].content</c>, <c>$['odd.name']</c>) as property names and array
/// indexes, and back as the OpenAI-style <c>param</c> (<c>messages[0].content</c>).
/// </summary>
internal static class JsonPathSegments
{
    /// <summary>Names (string) and indexes (int) from the root; empty for <c>$</c>; null when it is not a path.</summary>
    public static List<object>? Parse(string? path)
    {
        if (path is null || !path.StartsWith('$'))
        {
            return null;
        }

        var segments = new List<object>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['", StringComparison.Ordinal))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    return null;
                }

                segments.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i + 1);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    return null;
                }

                segments.Add(index);
                i = end + 1;
            }
            else
            {
                return null;
            }
        }

        return segments;
    }

    public static string Param(IReadOnlyList<object> segments)
    {
        var param = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment is int index)
            {
                param.Append(CultureInfo.InvariantCulture, $"[{index}]");
            }
            else
            {
                param.Append(param.Length == 0 ? "" : ".").Append((string)segment);
            }
        }

        return param.ToString();
    }
}
