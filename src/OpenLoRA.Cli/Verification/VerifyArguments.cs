namespace OpenLoRA.Cli.Verification;

/// <summary>What `openlora verify` was given. <see cref="Datanet"/> and <see cref="Model"/> come together or not at all.</summary>
/// <param name="TraceId">32 hex chars, as the server issued it.</param>
/// <param name="Server">Base URL of the OpenLoRA server that holds the trace.</param>
/// <param name="Datanet">The adapter's Datanet JSONL, to rebuild the index and re-run attribution.</param>
/// <param name="Model">The base model GGUF whose tokenizer the Datanet was indexed with.</param>
/// <param name="Signer">The attribution signer address the caller trusts; without it the server's own claim is all there is.</param>
internal sealed record VerifyArguments(string TraceId, string Server, string? Datanet, string? Model, string? Signer);
