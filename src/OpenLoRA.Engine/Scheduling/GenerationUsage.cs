namespace OpenLoRA.Engine.Scheduling;

public sealed record GenerationUsage(int PromptTokens, int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}
