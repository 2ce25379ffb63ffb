namespace OpenLoRA.Engine.Backend;

internal sealed record LlamaStepBackendOptions(int SequenceContextSize, int MaxSequences, int MaxStepTokens, int Threads);
