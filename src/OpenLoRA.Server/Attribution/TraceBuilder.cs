using OpenLoRA.Attribution.Traces;

namespace OpenLoRA.Server.Attribution;

/// <summary>Turns a completed, attributed and charged response into a signed trace and its canonical bytes.</summary>
internal sealed class TraceBuilder(TraceSigner signer)
{
    /// <summary>Folder adapters have no publisher account; their traces name the zero address.</summary>
    public const string NoPublisher = "0x0000000000000000000000000000000000000000";

    public (SignedAttributionTrace Signed, byte[] Canonical) Build(TracedResponse response, Attributed attribution, TraceCharge charge)
    {
        var adapter = response.Target.Adapter ?? throw new ArgumentException("Only adapter responses are traced.", nameof(response));
        var completion = response.CompletionTokenIds.ToArray();
        var result = attribution.Result;
        var trace = new AttributionTrace
        {
            TraceId = response.TraceId,
            CreatedAtUnixMs = response.CreatedUnixMs,
            BaseModelHash = "0x" + response.Target.BaseModel.Sha256,
            AdapterSha256 = "0x" + adapter.Sha256,
            Publisher = adapter.Publisher ?? NoPublisher,
            DatanetRoot = attribution.DatanetRoot,

            // The prompt exactly as the model saw it (chat template applied), so a client can recompute it.
            RequestHash = TraceHashes.Tokens(response.PromptTokens.ToArray()),
            GeneratedTokensHash = TraceHashes.Tokens(completion),
            PromptTokens = response.PromptTokens.Count,
            CompletionTokens = completion.Length,
            Method = result.Method,
            Parameters = result.Parameters,
            Basis = result.Basis,
            Spans = result.Spans,
            Contributors = result.Contributors,
            Charge = charge,
        };
        var signed = signer.Sign(trace);
        return (signed, TraceEncoder.Encode(trace));
    }
}
