using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Sampling;
using OpenLoRA.Engine.Tokens;

namespace OpenLoRA.Engine.Scheduling;

/// <summary>The engine as the API sees it. Thread-safe.</summary>
public interface IInferenceService
{
    /// <summary>Applies the base model's chat template and tokenizes (with BOS as the model wants).</summary>
    PreparedPrompt PrepareChat(ModelTarget target, IReadOnlyList<ChatMessage> messages);

    /// <summary>Tokenizes a raw completion prompt (with BOS as the model wants; special-token text stays text).</summary>
    PreparedPrompt PrepareCompletion(ModelTarget target, string prompt);

    /// <summary>
    /// Tokenizes Datanet text with the base model's tokenizer: no BOS, special-token text stays text. This is the
    /// one rule for Datanet records, shared with validators (<c>DatanetTokenizer</c>), so attribution re-runs exactly.
    /// </summary>
    int[] TokenizeDatanetText(BaseModelInfo baseModel, string text);

    /// <summary>
    /// Queues a generation on the target's base model.
    /// Throws <see cref="ContextLengthExceededException"/> when prompt + 1 token cannot fit the context, and
    /// <see cref="QueueFullException"/> when the base model's queue is full. Cancelling <paramref name="cancellationToken"/>
    /// cancels the sequence: its KV cells and adapter are released within one step.
    /// </summary>
    IGeneration Submit(ModelTarget target, PreparedPrompt prompt, SamplingParameters sampling, CancellationToken cancellationToken);
}
