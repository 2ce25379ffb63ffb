namespace OpenLoRA.Engine.Tests.Backend.Ggml.Quantized;

/// <summary>
/// The quantized-model tests share one set of quantized files and run one at a time: the placement test reads
/// llama.cpp's process-wide log while it loads a model, which another quantized load in parallel would add to.
/// </summary>
[CollectionDefinition(Name)]
public sealed class QuantizedCollection : ICollectionFixture<QuantizedModels>
{
    public const string Name = "quantized models";
}
