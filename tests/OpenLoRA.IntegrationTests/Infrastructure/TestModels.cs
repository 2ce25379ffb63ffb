namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>The model names the generated tiny test models have.</summary>
public static class TestModels
{
    public const string BaseModel = "tiny-llama";

    public const string Adapter = "tiny-attn-r4";

    public static readonly string[] Adapters = ["tiny-attn-r4", "tiny-mlp-r8", "tiny-all-r2", "tiny-out-r4"];
}
