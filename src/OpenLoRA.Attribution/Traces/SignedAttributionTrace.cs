namespace OpenLoRA.Attribution.Traces;

/// <summary>A trace with its keccak256 hash, the 65-byte signature over it (0x hex, r‖s‖v) and the signer's address.</summary>
public sealed record SignedAttributionTrace(AttributionTrace Trace, string TraceHash, string Signature, string Signer);
