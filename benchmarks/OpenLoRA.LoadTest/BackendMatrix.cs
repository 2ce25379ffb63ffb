using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenLoRA.LoadTest;

/// <summary>One run of the backend matrix: a server configuration (<see cref="Backend"/>) under N adapters and C clients.</summary>
internal sealed record MatrixCell(int Adapters, int Concurrency, string Backend)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Backend} N={Adapters} C={Concurrency}");
}

/// <summary>A finished run: the cell, the server settings it set and the load report.</summary>
internal sealed record MatrixRun(MatrixCell Cell, IReadOnlyDictionary<string, string> Settings, LoadReport Report);

/// <summary>The ggml backend over the other two at one (N, C): output tokens/s (above 1 is better) and p99 TTFT (below 1 is better).</summary>
internal sealed record MatrixRatios(
    int Adapters,
    int Concurrency,
    double? ThroughputGgmlOverGrouped,
    double? ThroughputGgmlOverBaseline,
    double? TimeToFirstTokenP99GgmlOverGrouped,
    double? TimeToFirstTokenP99GgmlOverBaseline);

/// <summary>The ggml backend's output tokens/s with N distinct adapters over its own with one adapter, at the same concurrency.</summary>
internal sealed record AdapterScaling(int Concurrency, int Adapters, double OutputTokensPerSecond, double? OverOneAdapter);

/// <summary>
/// The step backends side by side on the bench model: for every adapter count N and concurrency C, the same closed-loop
/// workload against <c>ggml</c> (one forward pass for every adapter of a step), <c>grouped</c> (LLamaSharp, one pass
/// per adapter group) and <c>baseline</c> (LLamaSharp, one adapter group per step, FIFO admission: llama.cpp's
/// server), each on its own freshly started server.
/// </summary>
internal static class BackendMatrix
{
    public const string Ggml = "ggml";
    public const string Grouped = "grouped";
    public const string Baseline = "baseline";

    /// <summary>The bench set's own adapters; more come from <c>EnsureBenchAdapterVariants</c>.</summary>
    public const int BenchAdapters = 16;

    /// <summary>The targets, checked at N = C = 8: N adapters reach this share of one adapter's throughput …</summary>
    public const double ScalingTarget = 0.8;

    /// <summary>… and this multiple of the grouped backend's.</summary>
    public const double GroupedTarget = 1.5;

    public const int TargetCell = 8;

    private const string Prefix = "OpenLoRA:Engine:BaseModels:0:";

    public static IReadOnlyList<string> Backends { get; } = [Ggml, Grouped, Baseline];

    /// <summary>llama.cpp's server: its engine (the LLamaSharp backend), one adapter configuration per decode, FIFO admission.</summary>
    public static IReadOnlyDictionary<string, string> BaselinePolicy { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Prefix + "Backend"] = "LlamaSharp",
        [Prefix + "MaxAdapterGroupsPerStep"] = "1",
        [Prefix + "Admission"] = "Fifo",
    };

    /// <summary>"1,8,64" → [1, 8, 64]: positive, distinct, in the given order.</summary>
    public static IReadOnlyList<int> ParseCounts(string text, string option)
    {
        var counts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new FormatException($"{option}: '{part}' is not a positive integer."))
            .Distinct()
            .ToArray();
        return counts.Length > 0 ? counts : throw new FormatException($"{option} is empty.");
    }

    /// <summary>Every (N, C) in order, each with its three backends one after the other (so they run under the same conditions).</summary>
    public static IReadOnlyList<MatrixCell> Cells(IReadOnlyList<int> adapterCounts, IReadOnlyList<int> concurrencies) =>
        [.. from n in adapterCounts from c in concurrencies from backend in Backends select new MatrixCell(n, c, backend)];

    /// <summary>Adapters to generate beyond the bench set so that the largest N has N distinct adapters.</summary>
    public static int ExtraAdaptersNeeded(IReadOnlyList<int> adapterCounts) => Math.Max(0, adapterCounts.Max() - BenchAdapters);

    /// <summary>The server settings a cell sets on top of the bench model's.</summary>
    public static IReadOnlyDictionary<string, string> Settings(MatrixCell cell)
    {
        var c = CultureInfo.InvariantCulture;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Prefix + "Backend"] = cell.Backend == Ggml ? "Ggml" : "LlamaSharp",
            [Prefix + "MaxSequences"] = cell.Concurrency.ToString(c),
            [Prefix + "MaxResidentAdapters"] = Math.Max(cell.Adapters, 32).ToString(c),
        };
        if (cell.Backend == Baseline)
        {
            foreach (var (key, value) in BaselinePolicy)
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    /// <summary>The user's workload (prompt and output lengths, Zipf, ignore_eos, seed) as a closed loop of C clients sending rounds × C requests.</summary>
    public static LoadTestOptions Workload(LoadTestOptions options, MatrixCell cell, int rounds) =>
        options with { Mode = "closed", Concurrency = cell.Concurrency, Requests = rounds * cell.Concurrency, Models = [] };

    public static string DescribeWorkload(LoadTestOptions options, int rounds) => string.Create(CultureInfo.InvariantCulture,
        $"closed loop of C clients, {rounds} x C requests, Zipf {options.ZipfExponent} over the N adapters, prompts of {options.PromptWordsMin}..{options.PromptWordsMax} words, {options.OutputTokensMin}..{options.OutputTokensMax} output tokens{(options.IgnoreEos ? " (ignore_eos)" : "")}, seed {options.Seed}");

    /// <summary>Runs every cell in order through <paramref name="run"/>, writing a progress line before and after each.</summary>
    public static async Task<IReadOnlyList<MatrixRun>> RunAsync(
        IReadOnlyList<MatrixCell> cells,
        Func<MatrixCell, IReadOnlyDictionary<string, string>, Task<LoadReport>> run,
        TextWriter progress)
    {
        var runs = new List<MatrixRun>(cells.Count);
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            var settings = Settings(cell);
            var step = string.Create(CultureInfo.InvariantCulture, $"[{i + 1}/{cells.Count}] {cell}");
            await progress.WriteLineAsync($"{step} ...");
            var report = await run(cell, settings);
            runs.Add(new MatrixRun(cell, settings, report));
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{step}: {report.Succeeded}/{report.Requests} succeeded, {report.OutputTokensPerSecond:F1} output tok/s, TTFT p99 {report.TimeToFirstToken.P99:F3} s"));
        }

        return runs;
    }
}

/// <summary>The matrix's results, written as JSON and Markdown.</summary>
internal sealed record BackendMatrixReport(string Workload, IReadOnlyList<MatrixRun> Runs)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public bool AllSucceeded => Runs.All(r => r.Report.Succeeded == r.Report.Requests);

    public IReadOnlyList<MatrixRatios> Ratios =>
    [
        .. Runs.Select(r => (r.Cell.Adapters, r.Cell.Concurrency)).Distinct().Select(key =>
        {
            var ggml = Find(key.Adapters, key.Concurrency, BackendMatrix.Ggml);
            var grouped = Find(key.Adapters, key.Concurrency, BackendMatrix.Grouped);
            var baseline = Find(key.Adapters, key.Concurrency, BackendMatrix.Baseline);
            return new MatrixRatios(
                key.Adapters,
                key.Concurrency,
                Ratio(ggml?.OutputTokensPerSecond, grouped?.OutputTokensPerSecond),
                Ratio(ggml?.OutputTokensPerSecond, baseline?.OutputTokensPerSecond),
                Ratio(ggml?.TimeToFirstToken.P99, grouped?.TimeToFirstToken.P99),
                Ratio(ggml?.TimeToFirstToken.P99, baseline?.TimeToFirstToken.P99));
        }),
    ];

    public IReadOnlyList<AdapterScaling> Scaling =>
    [
        .. Runs.Where(r => r.Cell.Backend == BackendMatrix.Ggml).GroupBy(r => r.Cell.Concurrency).SelectMany(group =>
        {
            var one = group.FirstOrDefault(r => r.Cell.Adapters == 1)?.Report.OutputTokensPerSecond;
            return group.Select(r => new AdapterScaling(group.Key, r.Cell.Adapters, r.Report.OutputTokensPerSecond, Ratio(r.Report.OutputTokensPerSecond, one)));
        }),
    ];

    public string ToJson() => JsonSerializer.Serialize(
        new
        {
            workload = Workload,
            runs = Runs.Select(r => new { adapters = r.Cell.Adapters, concurrency = r.Cell.Concurrency, backend = r.Cell.Backend, settings = r.Settings, report = r.Report }),
            ratios = Ratios,
            scaling = Scaling,
        },
        Json);

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("# Backend matrix");
        md.AppendLine();
        md.AppendLine(c, $"- workload: {Workload}");
        md.AppendLine("- ggml: Backend=Ggml (one forward pass for every adapter of a step)");
        md.AppendLine("- grouped: Backend=LlamaSharp (one forward pass per adapter group each step)");
        md.AppendLine("- baseline: Backend=LlamaSharp, MaxAdapterGroupsPerStep=1, Admission=Fifo (llama.cpp server's policy)");
        md.AppendLine("- every server: MaxSequences=C, MaxResidentAdapters=max(N, 32); the models are the first N adapters the server lists");
        md.AppendLine();
        md.AppendLine("| N | C | backend | succeeded | output tok/s | req/s | TTFT p50 (s) | TTFT p99 (s) | TPOT p50 (s) | e2e p99 (s) |");
        md.AppendLine("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (cell, _, r) in Runs)
        {
            md.AppendLine(c, $"| {cell.Adapters} | {cell.Concurrency} | {cell.Backend} | {r.Succeeded}/{r.Requests} | {r.OutputTokensPerSecond:F1} | {r.RequestsPerSecond:F2} | {r.TimeToFirstToken.P50:F3} | {r.TimeToFirstToken.P99:F3} | {r.TimePerOutputToken.P50:F4} | {r.EndToEnd.P99:F3} |");
        }

        md.AppendLine();
        md.AppendLine("## ggml over the other backends");
        md.AppendLine();
        md.AppendLine("Output tok/s: above 1 is better; p99 TTFT: below 1 is better.");
        md.AppendLine();
        md.AppendLine("| N | C | tok/s ggml/grouped | tok/s ggml/baseline | TTFT p99 ggml/grouped | TTFT p99 ggml/baseline |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in Ratios)
        {
            md.AppendLine(c, $"| {r.Adapters} | {r.Concurrency} | {Format(r.ThroughputGgmlOverGrouped)} | {Format(r.ThroughputGgmlOverBaseline)} | {Format(r.TimeToFirstTokenP99GgmlOverGrouped)} | {Format(r.TimeToFirstTokenP99GgmlOverBaseline)} |");
        }

        md.AppendLine();
        md.AppendLine("## ggml: N distinct adapters over one adapter");
        md.AppendLine();
        md.AppendLine("| C | N | ggml output tok/s | over N=1 |");
        md.AppendLine("| ---: | ---: | ---: | ---: |");
        foreach (var s in Scaling)
        {
            md.AppendLine(c, $"| {s.Concurrency} | {s.Adapters} | {s.OutputTokensPerSecond:F1} | {Format(s.OverOneAdapter)} |");
        }

        md.AppendLine();
        md.AppendLine(Targets());
        return md.ToString();
    }

    /// <summary>The targets at N = C = 8, when the matrix ran that cell (and N = 1 at C = 8 for the scaling).</summary>
    private string Targets()
    {
        var n = BackendMatrix.TargetCell;
        var scaling = Scaling.FirstOrDefault(s => s.Adapters == n && s.Concurrency == n)?.OverOneAdapter;
        var grouped = Ratios.FirstOrDefault(r => r.Adapters == n && r.Concurrency == n)?.ThroughputGgmlOverGrouped;
        if (scaling is null && grouped is null)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Targets (N={n}, C={n}): not measured (run --adapter-counts 1,{n} --concurrencies {n}).");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"Targets (N={n}, C={n}): ggml N={n} / N=1 = **{Format(scaling)}** (target ≥ {BackendMatrix.ScalingTarget}: {Verdict(scaling, BackendMatrix.ScalingTarget)}); ggml / grouped = **{Format(grouped)}** (target ≥ {BackendMatrix.GroupedTarget}: {Verdict(grouped, BackendMatrix.GroupedTarget)}).");
    }

    private LoadReport? Find(int adapters, int concurrency, string backend) =>
        Runs.FirstOrDefault(r => r.Cell.Adapters == adapters && r.Cell.Concurrency == concurrency && r.Cell.Backend == backend)?.Report;

    /// <summary>null when either side is missing or the ratio is not a finite number (e.g. a run where every request failed).</summary>
    private static double? Ratio(double? numerator, double? denominator) =>
        numerator is { } a && denominator is { } b && b > 0 && double.IsFinite(a) && double.IsFinite(b) ? a / b : null;

    private static string Format(double? ratio) => ratio is { } value ? value.ToString("F2", CultureInfo.InvariantCulture) : "–";

    private static string Verdict(double? ratio, double target) => ratio is null ? "not measured" : ratio >= target ? "met" : "missed";
}
