using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>
/// What an uploaded adapter may be called. A name is a path segment (<c>/v1/adapters/{name}</c>), a <c>model</c>
/// value (where '@' starts a <c>@sha256:</c> pin) and a word in file listings and shells, so it is plain ASCII:
/// letters, digits, '.', '_' and '-'. It starts with a letter or digit, which keeps out "." and ".." (dot segments a
/// URL normalizes away), hidden-file names and names a command line reads as options; and it is not 64 hex digits,
/// which <c>/v1/adapters/{id}</c> reads as a content hash.
/// </summary>
public static partial class AdapterNameRule
{
    public const int MaxLength = 64;

    /// <summary>The rule, as error messages state it.</summary>
    public static string Description { get; } =
        $"1 to {MaxLength} characters of A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit, and not 64 hex digits (that reads as a content hash)";

    /// <summary>Null when <paramref name="name"/> is acceptable, otherwise why not (the name shown with its odd characters escaped).</summary>
    public static string? Check(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Pattern().IsMatch(name) && !(name.Length == 64 && name.All(char.IsAsciiHexDigit)))
        {
            return null;
        }

        return $"The adapter name must be {Description}; got {Show(name)}.";
    }

    /// <summary>The name quoted, cut to a readable length, with control, space and non-ASCII characters as \uXXXX.</summary>
    private static string Show(string name)
    {
        var text = new StringBuilder("'");
        foreach (var c in name.Length > MaxLength + 16 ? name[..(MaxLength + 16)] : name)
        {
            text.Append(c is > ' ' and < '\u007f' ? c.ToString() : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"));
        }

        text.Append(name.Length > MaxLength + 16 ? $"…' ({name.Length} characters)" : "'");
        return text.ToString();
    }

    // \z, not $: $ also matches before a final newline, which would let "name\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
