namespace OpenLoRA.Cli.Verification;

/// <summary>The on-chain commitment of a trace's batch, as the server reports it.</summary>
internal sealed record FetchedChain(string? TxHash, long? Block, string? Status);
