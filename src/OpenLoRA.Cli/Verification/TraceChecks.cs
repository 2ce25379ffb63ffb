using Nethereum.Util;
using OpenLoRA.Attribution.Merkle;
using OpenLoRA.Attribution.Traces;

namespace OpenLoRA.Cli.Verification;

/// <summary>
/// The checks that need only the server's reply: content hash, canonical form, signature, generated tokens, Merkle
/// proof and the chain status. Each works from the hash recomputed from the canonical text, never from the hash
/// the server claims, so a tampered text fails every check that depends on it, not just the first.
/// </summary>
internal static class TraceChecks
{
    public static CheckResult Hash(FetchedTrace fetched, byte[] computedHash)
    {
        var computed = HexBytes.ToHex(computedHash);
        return string.Equals(computed, fetched.TraceHash, StringComparison.OrdinalIgnoreCase)
            ? CheckResult.Pass("hash", $"keccak256(canonical) = {computed}")
            : CheckResult.Fail("hash", $"keccak256(canonical) = {computed}, server says {fetched.TraceHash}");
    }

    /// <summary>Re-encoding the parsed trace must give back the exact text, or the fields read are not what was hashed.</summary>
    public static CheckResult Canonical(string canonical, AttributionTrace? trace, string? readError)
    {
        if (trace is null)
        {
            return CheckResult.Fail("canonical", $"cannot read the canonical trace: {readError}");
        }

        byte[] encoded;
        try
        {
            encoded = TraceEncoder.Encode(trace);
        }
        catch (ArgumentException ex)
        {
            return CheckResult.Fail("canonical", $"the trace breaks the format: {ex.Message}");
        }

        var text = System.Text.Encoding.UTF8.GetString(encoded);
        if (text == canonical)
        {
            return CheckResult.Pass("canonical", $"re-encodes byte for byte ({encoded.Length} bytes, format v{TraceEncoder.FormatVersion})");
        }

        var at = 0;
        while (at < text.Length && at < canonical.Length && text[at] == canonical[at])
        {
            at++;
        }

        return CheckResult.Fail("canonical", $"not in canonical form: differs from its re-encoding at char {at}");
    }

    public static CheckResult TraceId(string requestedId, FetchedTrace fetched, AttributionTrace? trace)
    {
        if (trace is null)
        {
            return CheckResult.Skip("trace id", "canonical trace unreadable");
        }

        if (trace.TraceId != requestedId)
        {
            return CheckResult.Fail("trace id", $"the canonical trace is {trace.TraceId}, not the requested {requestedId}");
        }

        return string.Equals(fetched.Id, requestedId, StringComparison.OrdinalIgnoreCase)
            ? CheckResult.Pass("trace id", requestedId)
            : CheckResult.Fail("trace id", $"the reply's id is {fetched.Id}, not the requested {requestedId}");
    }

    public static CheckResult Signature(FetchedTrace fetched, byte[] computedHash, string? expectedSigner)
    {
        var recovered = TraceVerifier.RecoverHashSigner(computedHash, fetched.Signature);
        if (recovered is null)
        {
            return CheckResult.Fail("signature", "malformed signature (expected 0x + 130 hex, v = 27 or 28)");
        }

        if (!SameAddress(recovered, fetched.Signer))
        {
            return CheckResult.Fail("signature", $"recovers to {recovered}, not the declared signer {fetched.Signer}: it was not made over this canonical text by that key");
        }

        if (expectedSigner is null)
        {
            return CheckResult.Pass("signature", $"signed by {recovered} (the server's self-declared signer; pass --signer to pin the address you trust)");
        }

        return SameAddress(recovered, expectedSigner)
            ? CheckResult.Pass("signature", $"signed by {recovered} = --signer")
            : CheckResult.Fail("signature", $"signed by {recovered}, not the expected --signer {expectedSigner}");
    }

    public static CheckResult Tokens(FetchedTrace fetched, AttributionTrace? trace)
    {
        if (trace is null)
        {
            return CheckResult.Skip("tokens", "canonical trace unreadable");
        }

        var hash = TraceHashes.Tokens(fetched.CompletionTokenIds);
        if (!string.Equals(hash, trace.GeneratedTokensHash, StringComparison.OrdinalIgnoreCase))
        {
            return CheckResult.Fail("tokens", $"sha256(completion_token_ids) = {hash}, the trace says {trace.GeneratedTokensHash}");
        }

        return fetched.CompletionTokenIds.Length == trace.CompletionTokens
            ? CheckResult.Pass("tokens", $"{trace.CompletionTokens} tokens, sha256 {hash}")
            : CheckResult.Fail("tokens", $"{fetched.CompletionTokenIds.Length} tokens sent, the trace counts {trace.CompletionTokens}");
    }

    public static CheckResult Merkle(FetchedBatch? batch, byte[] computedHash)
    {
        if (batch is null)
        {
            return CheckResult.Skip("merkle", "not yet batched");
        }

        if (!HexBytes.TryParse(batch.Root, 32, out var root) || !HexBytes.TryParse(batch.Leaf, 32, out var leaf))
        {
            return CheckResult.Fail("merkle", $"batch {batch.Id}: root or leaf is not 0x + 64 hex");
        }

        var proof = new List<byte[]>(batch.Proof.Count);
        foreach (var node in batch.Proof)
        {
            if (!HexBytes.TryParse(node, 32, out var bytes))
            {
                return CheckResult.Fail("merkle", $"batch {batch.Id}: proof node '{node}' is not 0x + 64 hex");
            }

            proof.Add(bytes);
        }

        var expectedLeaf = MerkleTree.LeafHash(computedHash);
        if (!expectedLeaf.AsSpan().SequenceEqual(leaf))
        {
            return CheckResult.Fail("merkle", $"batch {batch.Id}: leaf of this trace is {HexBytes.ToHex(expectedLeaf)}, server says {batch.Leaf}");
        }

        return MerkleTree.Verify(proof, root, expectedLeaf)
            ? CheckResult.Pass("merkle", $"batch {batch.Id}: {proof.Count}-node proof reaches root {batch.Root}")
            : CheckResult.Fail("merkle", $"batch {batch.Id}: the proof does not reach root {batch.Root}");
    }

    public static CheckResult Chain(FetchedChain? chain)
    {
        if (chain is null)
        {
            return CheckResult.Skip("chain", "not committed on-chain yet");
        }

        var block = chain.Block is { } number ? $", block {number}" : "";
        return CheckResult.Info("chain", $"tx {chain.TxHash ?? "?"}{block}, status {chain.Status ?? "?"} (as reported by the server; the on-chain root is not read by this tool)");
    }

    private static bool SameAddress(string a, string b) =>
        string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>0x + 40 hex; mixed case must carry a valid EIP-55 checksum, since a wrong one is most likely a typo.</summary>
    public static bool IsAddress(string text)
    {
        if (!HexBytes.TryParse(text, 20, out _))
        {
            return false;
        }

        var body = text[2..];
        var mixed = body.Any(char.IsAsciiLetterLower) && body.Any(char.IsAsciiLetterUpper);
        return !mixed || new AddressUtil().IsChecksumAddress("0x" + body);
    }
}
