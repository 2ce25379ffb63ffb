namespace OpenLoRA.Chain.Contracts;

/// <summary>One compiled contract as written by Contracts/compile.mjs.</summary>
/// <param name="Name">Contract name, e.g. "AttributionRegistry".</param>
/// <param name="Abi">The ABI as JSON text.</param>
/// <param name="Bytecode">Creation bytecode, 0x-prefixed hex.</param>
/// <param name="SourceHash">sha256 over the compiler version, settings and every source the compiler read.</param>
public sealed record ContractArtifact(string Name, string Abi, string Bytecode, string SourceHash);
