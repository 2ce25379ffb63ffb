using System.Net;
using System.Text.Json;

namespace OpenLoRA.Cli.Verification;

/// <summary>Fetches a trace from <c>GET {server}/v1/traces/{id}</c> and reads the reply strictly, naming what is wrong.</summary>
internal static class TraceFetcher
{
    // A trace reply is a few KB; anything slower than this is a server that is not answering.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<FetchedTrace> FetchAsync(Uri server, string traceId, CancellationToken cancellationToken)
    {
        var address = new Uri(server, $"v1/traces/{Uri.EscapeDataString(traceId)}");
        using var http = new HttpClient { Timeout = Timeout };
        HttpResponseMessage response;
        string body;
        try
        {
            response = await http.GetAsync(address, cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new VerifyException($"cannot reach {address}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VerifyException($"no answer from {address} within {Timeout.TotalSeconds:F0} s");
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new VerifyException($"the server has no trace '{traceId}' (404): {ErrorMessage(body)}");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new VerifyException($"the server refused ({(int)response.StatusCode}): {ErrorMessage(body)}");
            }
        }

        try
        {
            return Parse(body);
        }
        catch (JsonException ex)
        {
            throw new VerifyException($"the server's reply is not valid JSON: {ex.Message}");
        }
        catch (FormatException ex)
        {
            throw new VerifyException($"the server's reply is not an attribution trace: {ex.Message}");
        }
    }

    /// <summary>Reads the reply; throws <see cref="FormatException"/> naming the first field that breaks the contract.</summary>
    internal static FetchedTrace Parse(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"expected a JSON object, found {root.ValueKind}");
        }

        if (OptionalString(root, "object") is { } kind && kind != "attribution.trace")
        {
            throw new FormatException($"object is '{kind}', expected 'attribution.trace'");
        }

        return new FetchedTrace(
            RequiredString(root, "id"),
            RequiredString(root, "canonical"),
            RequiredString(root, "trace_hash"),
            RequiredString(root, "signature"),
            RequiredString(root, "signer"),
            Tokens(root),
            OptionalString(root, "status") ?? "unknown",
            Batch(root),
            Chain(root));
    }

    private static int[] Tokens(JsonElement root)
    {
        if (!root.TryGetProperty("completion_token_ids", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("completion_token_ids must be an array of integers");
        }

        var tokens = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out tokens[i]))
            {
                throw new FormatException($"completion_token_ids[{i}] is not a 32-bit integer");
            }

            i++;
        }

        return tokens;
    }

    private static FetchedBatch? Batch(JsonElement root)
    {
        if (!root.TryGetProperty("batch", out var batch) || batch.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (batch.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("batch must be an object or null");
        }

        if (!batch.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var batchId))
        {
            throw new FormatException("batch.id must be an integer");
        }

        if (!batch.TryGetProperty("proof", out var proof) || proof.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("batch.proof must be an array of hex strings");
        }

        var nodes = new List<string>();
        foreach (var node in proof.EnumerateArray())
        {
            nodes.Add(node.ValueKind == JsonValueKind.String ? node.GetString()! : throw new FormatException("batch.proof must be an array of hex strings"));
        }

        return new FetchedBatch(batchId, RequiredString(batch, "root", "batch."), RequiredString(batch, "leaf", "batch."), nodes);
    }

    private static FetchedChain? Chain(JsonElement root)
    {
        if (!root.TryGetProperty("chain", out var chain) || chain.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (chain.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("chain must be an object or null");
        }

        long? block = chain.TryGetProperty("block", out var number) && number.ValueKind == JsonValueKind.Number && number.TryGetInt64(out var value)
            ? value
            : null;
        return new FetchedChain(OptionalString(chain, "tx_hash"), block, OptionalString(chain, "status"));
    }

    private static string RequiredString(JsonElement obj, string name, string prefix = "") =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"{prefix}{name} must be a string");

    private static string? OptionalString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The OpenAI-shaped error's message when there is one, else the body itself (shortened).</summary>
    private static string ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text.
        }

        var text = body.Trim();
        return text.Length == 0 ? "(empty body)" : text.Length <= 200 ? text : text[..200] + "…";
    }
}
