namespace OpenLoRA.Engine.Backend;

/// <summary>What a step cost: forward passes (adapter groups) and tokens.</summary>
internal readonly record struct StepStats(int Groups, int Tokens);
