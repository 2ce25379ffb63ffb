using System.Globalization;
using System.Text;

namespace OpenLoRA.Attribution.Traces;

/// <summary>
/// Minimal JSON writer with one output per input: no whitespace, integers in plain decimal, strings as raw UTF-8
/// with RFC 8785 (JCS) escaping: \" \\ \b \f \n \r \t, other controls as \u00xx (lowercase), nothing else
/// escaped. Lone surrogates are rejected because they have no UTF-8 form.
/// </summary>
internal sealed class CanonicalJsonWriter
{
    private readonly StringBuilder _json = new();
    private bool _needComma;

    public void StartObject() => Open('{');
    public void EndObject() => Close('}');
    public void StartArray() => Open('[');
    public void EndArray() => Close(']');

    public void Name(string name)
    {
        Comma();
        WriteString(name);
        _json.Append(':');
        _needComma = false;
    }

    public void String(string? value)
    {
        Comma();
        if (value is null) _json.Append("null");
        else WriteString(value);
        _needComma = true;
    }

    public void Number(long value)
    {
        Comma();
        _json.Append(value.ToString(CultureInfo.InvariantCulture));
        _needComma = true;
    }

    public void Null()
    {
        Comma();
        _json.Append("null");
        _needComma = true;
    }

    public byte[] ToUtf8() => new UTF8Encoding(false, true).GetBytes(_json.ToString());

    private void Open(char c)
    {
        Comma();
        _json.Append(c);
        _needComma = false;
    }

    private void Close(char c)
    {
        _json.Append(c);
        _needComma = true;
    }

    private void Comma()
    {
        if (_needComma) _json.Append(',');
    }

    private void WriteString(string value)
    {
        _json.Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '"': _json.Append("\\\""); break;
                case '\\': _json.Append("\\\\"); break;
                case '\b': _json.Append("\\b"); break;
                case '\f': _json.Append("\\f"); break;
                case '\n': _json.Append("\\n"); break;
                case '\r': _json.Append("\\r"); break;
                case '\t': _json.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        _json.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        _json.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        throw new ArgumentException($"String contains a lone surrogate at index {i}.");
                    }
                    else
                    {
                        _json.Append(c);
                    }
                    break;
            }
        }
        _json.Append('"');
    }
}
