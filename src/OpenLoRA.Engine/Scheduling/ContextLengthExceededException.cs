namespace OpenLoRA.Engine.Scheduling;

/// <summary>The prompt does not fit the model's context window.</summary>
public sealed class ContextLengthExceededException(int promptTokens, int contextSize)
    : Exception($"This model's maximum context length is {contextSize} tokens, but the prompt has {promptTokens} tokens.")
{
    public int PromptTokens { get; } = promptTokens;

    public int ContextSize { get; } = contextSize;
}
