using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Attribution.Traces;

namespace OpenLoRA.Server.Attribution;

/// <summary>Turns a completed response into a signed trace: span attribution over its Datanet, the charge, the signature.</summary>
internal sealed class TraceBuilder(SpanAttributor attributor, TraceSigner signer, DatanetStore datanets)
{
    /// <summary>Folder adapters have no publisher account; their traces name the zero address.</summary>
    public const string NoPublisher = "0x0000000000000000000000000000000000000000";

    public (SignedAttributionTrace Signed, byte[] Canonical) Build(TracedResponse response)
    {
        var adapter = response.Target.Adapter ?? throw new ArgumentException("Only adapter responses are traced.", nameof(response));
        var index = datanets.OpenIndex(adapter.Sha256);
        var completion = response.CompletionTokenIds.ToArray();
        var result = attributor.Attribute(completion, index);
        var trace = new AttributionTrace
        {
            TraceId = response.TraceId,
            CreatedAtUnixMs = response.CreatedUnixMs,
            BaseModelHash = "0x" + response.Target.BaseModel.Sha256,
            AdapterSha256 = "0x" + adapter.Sha256,
            Publisher = adapter.Publisher ?? NoPublisher,
            DatanetRoot = index?.Root,

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
            Charge = TraceCharges.For(adapter, response.PromptTokens.Count, completion.Length),
        };
        var signed = signer.Sign(trace);
        return (signed, TraceEncoder.Encode(trace));
    }
}
