using OpenLoRA.Attribution.Datanets;
using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Tokens;

namespace OpenLoRA.Cli.Verification;

/// <summary>
/// Rebuilds the Datanet index from the JSONL with the base model's tokenizer (the same rule the server uses,
/// <see cref="DatanetTokenizer"/>), checks its root against the trace, and re-runs span attribution over the
/// completion tokens with the trace's parameters, comparing every span and share exactly.
/// </summary>
internal static class AttributionCheck
{
    public static IReadOnlyList<CheckResult> Run(string? datanetPath, string? modelPath, AttributionTrace? trace, int[] completionTokens)
    {
        if (trace is null)
        {
            return [CheckResult.Skip("datanet", "canonical trace unreadable"), CheckResult.Skip("attribution", "canonical trace unreadable")];
        }

        if (trace.DatanetRoot is null)
        {
            return [CheckResult.Skip("datanet", "the trace has no Datanet"), CheckResult.Skip("attribution", $"basis {trace.Basis}, no Datanet to re-run against")];
        }

        if (datanetPath is null || modelPath is null)
        {
            return [CheckResult.Skip("datanet", "pass --datanet and --model to rebuild the index"), CheckResult.Skip("attribution", "pass --datanet and --model to re-run it")];
        }

        var directory = Path.Combine(Path.GetTempPath(), "openlora-verify-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var summary = DatanetIndexWriter.Write(Path.Combine(directory, "datanet.idx"), Tokenize(datanetPath, modelPath));
            if (!string.Equals(summary.Root, trace.DatanetRoot, StringComparison.OrdinalIgnoreCase))
            {
                return
                [
                    CheckResult.Fail("datanet", $"root of this Datanet is {summary.Root}, the trace used {trace.DatanetRoot}"),
                    CheckResult.Skip("attribution", "a different Datanet; re-running would prove nothing"),
                ];
            }

            var datanet = CheckResult.Pass("datanet", $"root {summary.Root} ({summary.RecordCount} records, {summary.TokenCount} tokens)");
            using var index = DatanetIndex.Open(summary.Path);
            return [datanet, Rerun(trace, index, completionTokens)];
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static CheckResult Rerun(AttributionTrace trace, DatanetIndex index, int[] completionTokens)
    {
        if (trace.Method != SpanAttributor.MethodName)
        {
            return CheckResult.Skip("attribution", $"method '{trace.Method}' is not one this tool re-runs ({SpanAttributor.MethodName})");
        }

        SpanAttributor attributor;
        try
        {
            attributor = new SpanAttributor(trace.Parameters);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return CheckResult.Fail("attribution", $"invalid parameters in the trace: {ex.Message}");
        }

        // Static shares are the adapter's, and the CLI does not have them; without them the re-run gives the spans.
        var result = attributor.Attribute(completionTokens, index);
        if (trace.Basis == AttributionBasis.StaticShares)
        {
            return result.Spans.Count == 0
                ? CheckResult.Skip("attribution", "the trace pays the adapter's static shares, which this tool does not have; the re-run finds no spans, as that basis requires")
                : CheckResult.Fail("attribution", $"the trace pays static shares, but the re-run finds {result.Spans.Count} spans, so spans should have been paid");
        }

        return AttributionComparer.FirstDifference(trace, result) is { } difference
            ? CheckResult.Fail("attribution", difference)
            : CheckResult.Pass("attribution", $"re-run matches: basis {trace.Basis}, {result.Spans.Count} spans, {result.Contributors.Count} contributors");
    }

    private static List<TokenizedRecord> Tokenize(string datanetPath, string modelPath)
    {
        IReadOnlyList<DatanetRecord> records;
        try
        {
            using var stream = File.OpenRead(datanetPath);
            records = DatanetJsonlParser.Parse(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DatanetFormatException)
        {
            throw new VerifyException($"cannot read the Datanet '{datanetPath}': {ex.Message}");
        }

        DatanetTokenizer tokenizer;
        try
        {
            tokenizer = DatanetTokenizer.Open(modelPath);
        }
        catch (BackendException ex)
        {
            throw new VerifyException($"cannot load the base model '{modelPath}': {ex.Message}");
        }

        using (tokenizer)
        {
            var tokenized = new List<TokenizedRecord>(records.Count);
            foreach (var record in records)
            {
                var tokens = tokenizer.Tokenize(record.Text);
                if (tokens.Length == 0)
                {
                    // The server refuses such an upload, so this file cannot be the Datanet the trace names.
                    throw new VerifyException($"Datanet record '{record.Id}' has no tokens with this model; the server would have refused it");
                }

                tokenized.Add(new TokenizedRecord(record.Id, record.Contributor, tokens));
            }

            return tokenized;
        }
    }
}
