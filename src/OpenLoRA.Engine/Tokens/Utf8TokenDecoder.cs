using System.Text;

namespace OpenLoRA.Engine.Tokens;

/// <summary>
/// Reassembles UTF-8 across token boundaries: a token that ends inside a multi-byte character is held until the
/// character completes; bytes that can never form one become U+FFFD (maximal subparts, as
/// <see cref="Encoding.UTF8"/> does). Random-weight models emit such bytes constantly.
/// </summary>
internal sealed class Utf8TokenDecoder
{
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private char[] _chars = new char[64];

    /// <summary>Returns the text completed by <paramref name="tokenBytes"/> (possibly empty).</summary>
    public string Append(ReadOnlySpan<byte> tokenBytes) => Decode(tokenBytes, flush: false);

    /// <summary>Ends the stream: pending bytes of an unfinished character become U+FFFD.</summary>
    public string Flush() => Decode([], flush: true);

    private string Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        var needed = _decoder.GetCharCount(bytes, flush);
        if (needed > _chars.Length)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        var written = _decoder.GetChars(bytes, _chars, flush);
        return written == 0 ? string.Empty : new string(_chars, 0, written);
    }
}
