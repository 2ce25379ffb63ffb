namespace OpenLoRA.Engine.Backend;

/// <summary>
/// Runs one scheduler step: "these sequences, each with its adapter, these tokens at these positions; give me
/// the logits of the last token of each item that wants them". The LLamaSharp backend decodes one batch per
/// adapter group; a backend that batches different adapters in one pass plugs in here unchanged.
/// Used from the owning scheduler loop, except <see cref="LoadAdapter"/>, which the adapter loader thread calls
/// concurrently: implementations serialize it with the other native calls.
/// </summary>
internal interface IStepBackend : IDisposable
{
    int VocabSize { get; }

    int MaxSequences { get; }

    /// <summary>Tokens one sequence may hold in the KV cache.</summary>
    int SequenceContextSize { get; }

    /// <summary>Most tokens one <see cref="Execute"/> may carry.</summary>
    int MaxStepTokens { get; }

    /// <summary>Loads a validated adapter file (thread-safe). Throws <see cref="BackendException"/> when the load fails.</summary>
    IBackendAdapter LoadAdapter(string path);

    /// <summary>Clears the adapter from every context, then frees it.</summary>
    void UnloadAdapter(IBackendAdapter adapter);

    /// <summary>Throws <see cref="BackendException"/> when a decode fails; the step's sequences are then invalid.</summary>
    StepStats Execute(IReadOnlyList<StepItem> items, StepLogitsHandler onLogits);

    /// <summary>Frees every KV cell of the sequence slot.</summary>
    void ClearSequence(int sequenceId);
}
