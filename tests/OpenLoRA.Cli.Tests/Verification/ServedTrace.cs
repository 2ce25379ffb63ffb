using System.Text.Json.Nodes;

namespace OpenLoRA.Cli.Tests.Verification;

/// <summary>One trace as the fake server serves it; tests tamper with a field, then publish it under <see cref="Id"/>.</summary>
public sealed class ServedTrace
{
    public required string Id { get; init; }

    public required string Canonical { get; set; }

    public required string TraceHash { get; set; }

    public required string Signature { get; set; }

    public required string Signer { get; set; }

    public required int[] CompletionTokenIds { get; set; }

    /// <summary>Null for a trace not yet sealed into a batch.</summary>
    public BatchProof? Batch { get; set; }

    public JsonObject? Chain { get; set; }

    /// <summary>The body of GET /v1/traces/{id}, in the contract's snake_case shape.</summary>
    public string ToJson()
    {
        var body = new JsonObject
        {
            ["object"] = "attribution.trace",
            ["id"] = Id,
            ["canonical"] = Canonical,
            ["trace"] = JsonNode.Parse(Canonical),
            ["trace_hash"] = TraceHash,
            ["signature"] = Signature,
            ["signer"] = Signer,
            ["completion_token_ids"] = new JsonArray(CompletionTokenIds.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
            ["status"] = Chain is not null ? "committed" : Batch is not null ? "batched" : "pending",
            ["batch"] = Batch is null
                ? null
                : new JsonObject
                {
                    ["id"] = Batch.Id,
                    ["root"] = Batch.Root,
                    ["leaf"] = Batch.Leaf,
                    ["proof"] = new JsonArray(Batch.Proof.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
                },
            ["chain"] = Chain?.DeepClone(),
        };
        return body.ToJsonString();
    }
}
