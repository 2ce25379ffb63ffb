using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// A seeded mutational fuzzer over a valid JSON document (adapter_config.json, a safetensors header): each mutant
/// applies one to three operators — bit flips, truncation, invalid UTF-8 inside a string, a huge or odd number, a
/// value of the wrong type, deep nesting, a duplicated key, a spliced or deleted byte range. The same seed gives the
/// same mutants on every platform (<see cref="DeterministicRandom"/>), so a failing case is reproduced by its index.
/// </summary>
public sealed class JsonMutator
{
    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE], [0x80], [0xC0, 0x80], [0xC3], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ];

    private static readonly string[] OddNumbers =
    [
        "1e400", "-1e400", "1e-400", "99999999999999999999999999999999", "-99999999999999999999", "9223372036854775808",
        "2147483648", "-2147483649", "1.5", "-1", "-0", "0", "4.0", "1E2", "0.000000000000000000000000001",
        "18446744073709551616", "340282366920938463463374607431768211456",
    ];

    private static readonly string[] WrongTypes =
    [
        "null", "true", "false", "\"\"", "\"4\"", "\"LORA\"", "[]", "{}", "[1,2]", "[\"q_proj\"]", "{\"a\":1}", "0", "\"\\u0000\"", "\"\\ud800\"",
    ];

    private readonly byte[] _valid;
    private readonly List<(int Start, int End, bool IsString)> _values = [];
    private readonly List<(int NameStart, int ValueEnd)> _properties = [];
    private readonly DeterministicRandom _random;

    /// <param name="valid">A well-formed JSON document (UTF-8); its token positions guide the JSON-aware operators.</param>
    public JsonMutator(byte[] valid, int seed)
    {
        ArgumentNullException.ThrowIfNull(valid);
        _valid = valid;
        _random = DeterministicRandom.ForStream(seed, "json-mutator");
        Index();
    }

    /// <summary>One mutant and the operators that made it, for the failure message.</summary>
    public (byte[] Bytes, string Operators) Next()
    {
        var bytes = _valid;
        var operators = new List<string>();
        var count = 1 + _random.NextInt(3);
        for (var i = 0; i < count; i++)
        {
            // JSON-aware operators use the valid document's positions, so they are applied first, to the original.
            var (mutated, name) = i == 0 ? Structural(bytes) : Blind(bytes);
            bytes = mutated;
            operators.Add(name);
        }

        return (bytes, string.Join(" + ", operators));
    }

    private (byte[], string) Structural(byte[] bytes)
    {
        switch (_random.NextInt(8))
        {
            case 0:
                return Blind(bytes);
            case 1 when _values.Count > 0:
            {
                var (start, end, _) = Pick(_values);
                var number = OddNumbers[_random.NextInt(OddNumbers.Length)];
                return (Splice(bytes, start, end, Encoding.UTF8.GetBytes(number)), $"number {number}");
            }

            case 2 when _values.Count > 0:
            {
                var (start, end, _) = Pick(_values);
                var value = WrongTypes[_random.NextInt(WrongTypes.Length)];
                return (Splice(bytes, start, end, Encoding.UTF8.GetBytes(value)), $"type {value}");
            }

            case 3 when _values.Exists(v => v.IsString):
            {
                var strings = _values.FindAll(v => v.IsString);
                var (start, end, _) = Pick(strings);
                var at = start + 1 + _random.NextInt(Math.Max(1, end - start - 1));
                var invalid = InvalidUtf8[_random.NextInt(InvalidUtf8.Length)];
                return (Splice(bytes, at, at, invalid), $"invalid UTF-8 {Convert.ToHexString(invalid)} at {at}");
            }

            case 4 when _values.Count > 0:
            {
                var (start, end, _) = Pick(_values);
                var depth = _random.NextInt(4) switch { 0 => 8, 1 => 17, 2 => 70, _ => 5000 };
                var asObject = _random.NextInt(2) == 0;
                var open = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(asObject ? "{\"a\":" : "[", depth)));
                var close = Encoding.UTF8.GetBytes(new string(asObject ? '}' : ']', depth));
                var inner = bytes[start..end];
                return (Splice(bytes, start, end, [.. open, .. inner, .. close]), $"nesting {depth}");
            }

            case 5 when _properties.Count > 0:
            {
                var (nameStart, valueEnd) = Pick(_properties);
                var property = bytes[nameStart..valueEnd];
                var other = _values.Count > 0 ? Pick(_values) : (0, 0, false);
                var value = _random.NextInt(2) == 0 ? Encoding.UTF8.GetBytes(WrongTypes[_random.NextInt(WrongTypes.Length)]) : bytes[other.Item1..other.Item2];
                var colon = Array.IndexOf(property, (byte)':');
                byte[] duplicate = [(byte)',', .. property[..(colon + 1)], .. value];
                return (Splice(bytes, valueEnd, valueEnd, duplicate), "duplicate key");
            }

            case 6:
                return (Splice(bytes, 0, bytes.Length, Encoding.UTF8.GetBytes(WrongTypes[_random.NextInt(WrongTypes.Length)])), "root replaced");
            default:
                return Blind(bytes);
        }
    }

    /// <summary>Operators that need no structure: flips, truncation, range deletion and duplication, random bytes.</summary>
    private (byte[], string) Blind(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return ([(byte)_random.NextInt(256)], "one random byte");
        }

        switch (_random.NextInt(5))
        {
            case 0:
            {
                var copy = (byte[])bytes.Clone();
                var flips = 1 + _random.NextInt(8);
                for (var i = 0; i < flips; i++)
                {
                    copy[_random.NextInt(copy.Length)] ^= (byte)(1 << _random.NextInt(8));
                }

                return (copy, $"{flips} bit flips");
            }

            case 1:
            {
                var length = _random.NextInt(bytes.Length);
                return (bytes[..length], $"truncated to {length}");
            }

            case 2:
            {
                var start = _random.NextInt(bytes.Length);
                var end = Math.Min(bytes.Length, start + 1 + _random.NextInt(16));
                return (Splice(bytes, start, end, []), $"deleted {start}..{end}");
            }

            case 3:
            {
                var start = _random.NextInt(bytes.Length);
                var end = Math.Min(bytes.Length, start + 1 + _random.NextInt(32));
                return (Splice(bytes, end, end, bytes[start..end]), $"duplicated {start}..{end}");
            }

            default:
            {
                var at = _random.NextInt(bytes.Length + 1);
                var noise = new byte[1 + _random.NextInt(8)];
                for (var i = 0; i < noise.Length; i++)
                {
                    noise[i] = (byte)_random.NextInt(256);
                }

                return (Splice(bytes, at, at, noise), string.Create(CultureInfo.InvariantCulture, $"{noise.Length} random bytes at {at}"));
            }
        }
    }

    private T Pick<T>(List<T> items) => items[_random.NextInt(items.Count)];

    private static byte[] Splice(byte[] bytes, int start, int end, byte[] insert) => [.. bytes[..start], .. insert, .. bytes[end..]];

    /// <summary>Positions of every value (scalars and containers) and every property of the valid document.</summary>
    private void Index()
    {
        var reader = new Utf8JsonReader(_valid, new JsonReaderOptions { MaxDepth = 256 });
        var open = new Stack<int>();
        var names = new Stack<int>();
        var pendingName = -1;
        while (reader.Read())
        {
            var start = (int)reader.TokenStartIndex;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingName = start;
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    open.Push(start);
                    names.Push(pendingName);
                    pendingName = -1;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                {
                    var end = (int)reader.BytesConsumed;
                    _values.Add((open.Pop(), end, false));
                    var name = names.Pop();
                    if (name >= 0)
                    {
                        _properties.Add((name, end));
                    }

                    break;
                }

                default:
                {
                    var end = (int)reader.BytesConsumed;
                    _values.Add((start, end, reader.TokenType == JsonTokenType.String));
                    if (pendingName >= 0)
                    {
                        _properties.Add((pendingName, end));
                    }

                    pendingName = -1;
                    break;
                }
            }
        }
    }
}
