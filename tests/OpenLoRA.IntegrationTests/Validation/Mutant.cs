namespace OpenLoRA.IntegrationTests.Validation;

/// <summary>A corrupted copy of a good adapter; <see cref="Description"/> says exactly what was changed.</summary>
internal sealed record Mutant(string Name, string Description, byte[] Bytes);
