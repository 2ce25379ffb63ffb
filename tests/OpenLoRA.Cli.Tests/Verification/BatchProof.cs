namespace OpenLoRA.Cli.Tests.Verification;

/// <summary>The batch part of a served trace: root, leaf and proof as 0x hex.</summary>
public sealed record BatchProof(long Id, string Root, string Leaf, string[] Proof);
