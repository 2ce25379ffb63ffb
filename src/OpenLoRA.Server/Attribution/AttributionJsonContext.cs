using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Attribution;

/// <summary>Source-generated serializers for what the attribution store keeps as JSON text.</summary>
[JsonSerializable(typeof(int[]))]
internal sealed partial class AttributionJsonContext : JsonSerializerContext;
