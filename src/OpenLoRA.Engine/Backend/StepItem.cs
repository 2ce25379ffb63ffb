namespace OpenLoRA.Engine.Backend;

/// <summary>Tokens of one sequence entering one step, at consecutive positions from <see cref="StartPosition"/>.</summary>
internal readonly record struct StepItem(
    int SequenceId,
    IBackendAdapter? Adapter,
    ReadOnlyMemory<int> Tokens,
    int StartPosition,
    bool WantLogits);
