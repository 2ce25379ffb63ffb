namespace OpenLoRA.IntegrationTests.Adapters.Safety;

/// <summary>The same server, folder and chain setup on the LLamaSharp backend (which has no slot rank).</summary>
public sealed class LlamaSharpAdapterSafetyServerFixture : AdapterSafetyServerFixture
{
    public override string Backend => "LlamaSharp";
}
