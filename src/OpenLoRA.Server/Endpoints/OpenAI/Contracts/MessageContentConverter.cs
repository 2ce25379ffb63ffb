using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

/// <summary>
/// Reads message <c>content</c> given as a string or as an array of <c>{"type":"text","text":...}</c> parts. Parts are
/// joined with a newline, as vLLM does, so multi-part prompts render the same on both servers.
/// </summary>
internal sealed class MessageContentConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.StartArray:
                return ReadParts(ref reader);
            default:
                throw new JsonException("Message content must be a string or an array of text parts.");
        }
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static string ReadParts(ref Utf8JsonReader reader)
    {
        var text = new StringBuilder();
        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!first)
            {
                text.Append('\n');
            }

            text.Append(ReadTextPart(ref reader));
            first = false;
        }

        return text.ToString();
    }

    private static string ReadTextPart(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Each content part must be an object.");
        }

        string? type = null;
        string? text = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "type" when reader.TokenType == JsonTokenType.String:
                    type = reader.GetString();
                    break;
                case "text" when reader.TokenType == JsonTokenType.String:
                    text = reader.GetString();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (type != "text" || text is null)
        {
            throw new JsonException("Only content parts of type 'text' with a 'text' string are supported.");
        }

        return text;
    }
}
