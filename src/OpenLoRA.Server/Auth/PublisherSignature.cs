namespace OpenLoRA.Server.Auth;

/// <summary>A verified publisher signature.</summary>
/// <param name="Publisher">The recovered signer, a lower-case 0x address.</param>
/// <param name="SignatureId">Lower-case hex keccak256 of the canonical 65 signature bytes: the replay key.</param>
/// <param name="Expires">When the signed timestamp goes stale; the replay record is needed until then.</param>
internal sealed record PublisherSignature(string Publisher, string SignatureId, DateTimeOffset Expires);
