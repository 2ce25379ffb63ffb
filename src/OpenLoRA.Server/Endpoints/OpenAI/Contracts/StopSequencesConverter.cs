using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

/// <summary>Reads <c>stop</c> given as one string or an array of strings.</summary>
internal sealed class StopSequencesConverter : JsonConverter<IReadOnlyList<string>?>
{
    public override bool HandleNull => true;

    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return [reader.GetString()!];
            case JsonTokenType.StartArray:
                var stops = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw new JsonException("'stop' must be a string or an array of strings.");
                    }

                    stops.Add(reader.GetString()!);
                }

                return stops;
            default:
                throw new JsonException("'stop' must be a string or an array of strings.");
        }
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string>? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartArray();
        foreach (var stop in value)
        {
            writer.WriteStringValue(stop);
        }

        writer.WriteEndArray();
    }
}
