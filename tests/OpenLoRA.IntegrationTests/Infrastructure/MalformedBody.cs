namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>A body the server must refuse with 400; <see cref="Param"/> is the field the error must name, when one is.</summary>
internal sealed record MalformedBody(string What, byte[] Body, string? Param)
{
    public override string ToString() => What;
}
