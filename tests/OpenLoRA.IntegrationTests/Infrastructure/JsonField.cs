namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>One field of a JSON request contract; <see cref="Required"/> fields are also tried as null.</summary>
internal sealed record JsonField(string Name, JsonKind Kind, bool Required = false);
