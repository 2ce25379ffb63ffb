using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Tokens;

namespace OpenLoRA.Engine.Scheduling;

/// <summary>One served base model: tokenizer, chat template and its scheduler; owns the weights' lifetime.</summary>
internal sealed class ModelRuntime(string name, ITokenizer tokenizer, ChatTemplate template, ModelScheduler scheduler, IDisposable? weights)
    : IDisposable
{
    public string Name { get; } = name;

    public ITokenizer Tokenizer { get; } = tokenizer;

    public ChatTemplate Template { get; } = template;

    public ModelScheduler Scheduler { get; } = scheduler;

    public void Dispose()
    {
        // The scheduler frees its context before the weights it was created from.
        Scheduler.Dispose();
        weights?.Dispose();
    }
}
