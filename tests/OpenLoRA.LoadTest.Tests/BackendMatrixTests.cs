namespace OpenLoRA.LoadTest.Tests;

public sealed class BackendMatrixTests
{
    private const string Prefix = "OpenLoRA:Engine:BaseModels:0:";

    [Fact]
    public void ParseCounts_PositiveDistinctInOrder_RejectsTheRest()
    {
        Assert.Equal([1, 8, 64], BackendMatrix.ParseCounts("1, 8,64,8", "--adapter-counts"));
        Assert.Throws<FormatException>(() => BackendMatrix.ParseCounts("1,0", "--adapter-counts"));
        Assert.Throws<FormatException>(() => BackendMatrix.ParseCounts("1,x", "--adapter-counts"));
        Assert.Throws<FormatException>(() => BackendMatrix.ParseCounts(",", "--adapter-counts"));
    }

    [Fact]
    public void Cells_EveryAdapterCountAndConcurrency_ThreeBackendsInARow()
    {
        var cells = BackendMatrix.Cells([1, 8, 64], [8, 32]);

        Assert.Equal(18, cells.Count);
        Assert.Equal(
            [new(1, 8, "ggml"), new(1, 8, "grouped"), new(1, 8, "baseline"), new(1, 32, "ggml")],
            cells.Take(4));
        Assert.Equal(new MatrixCell(64, 32, "baseline"), cells[^1]);
        Assert.Equal("ggml N=8 C=32", cells[9].ToString());
    }

    [Fact]
    public void Settings_BackendSlotsAndResidency_BaselineAlsoFifoOneGroup()
    {
        var ggml = BackendMatrix.Settings(new MatrixCell(64, 8, "ggml"));
        var grouped = BackendMatrix.Settings(new MatrixCell(8, 32, "grouped"));
        var baseline = BackendMatrix.Settings(new MatrixCell(1, 8, "baseline"));

        Assert.Equal("Ggml", ggml[Prefix + "Backend"]);
        Assert.Equal("8", ggml[Prefix + "MaxSequences"]);
        Assert.Equal("64", ggml[Prefix + "MaxResidentAdapters"]);
        Assert.False(ggml.ContainsKey(Prefix + "Admission"));
        Assert.Equal("LlamaSharp", grouped[Prefix + "Backend"]);
        Assert.Equal("32", grouped[Prefix + "MaxSequences"]);
        Assert.Equal("32", grouped[Prefix + "MaxResidentAdapters"]);
        Assert.False(grouped.ContainsKey(Prefix + "MaxAdapterGroupsPerStep"));
        Assert.Equal("LlamaSharp", baseline[Prefix + "Backend"]);
        Assert.Equal("1", baseline[Prefix + "MaxAdapterGroupsPerStep"]);
        Assert.Equal("Fifo", baseline[Prefix + "Admission"]);
    }

    [Fact]
    public void ExtraAdaptersNeeded_BeyondTheBenchSetsSixteen()
    {
        Assert.Equal(0, BackendMatrix.ExtraAdaptersNeeded([1, 8, 16]));
        Assert.Equal(48, BackendMatrix.ExtraAdaptersNeeded([1, 64, 8]));
    }

    [Fact]
    public void Workload_ClosedLoopOfRoundsTimesConcurrency_KeepsTheUsersTraffic()
    {
        var options = new LoadTestOptions
        {
            Server = new Uri("http://127.0.0.1:1"),
            Mode = "open",
            Models = ["x"],
            ZipfExponent = 0,
            OutputTokensMin = 32,
            OutputTokensMax = 64,
            IgnoreEos = true,
        };

        var workload = BackendMatrix.Workload(options, new MatrixCell(8, 32, "ggml"), 3);

        Assert.Equal(options with { Mode = "closed", Concurrency = 32, Requests = 96, Models = [] }, workload);
    }

    [Fact]
    public async Task RunAsync_EveryCellWithItsSettings_ProgressBeforeAndAfter()
    {
        var cells = BackendMatrix.Cells([1], [2]);
        var seen = new List<(MatrixCell, string)>();
        using var progress = new StringWriter();

        var runs = await BackendMatrix.RunAsync(cells, (cell, settings) =>
        {
            seen.Add((cell, settings[Prefix + "Backend"]));
            return Task.FromResult(Report(10, 10, 100, 0.5));
        }, progress);

        Assert.Equal(cells, runs.Select(r => r.Cell));
        Assert.Equal(["Ggml", "LlamaSharp", "LlamaSharp"], seen.Select(s => s.Item2));
        var lines = progress.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.Equal("[1/3] ggml N=1 C=2 ...", lines[0]);
        Assert.StartsWith("[3/3] baseline N=1 C=2: 10/10 succeeded, 100.0 output tok/s", lines[5], StringComparison.Ordinal);
    }

    [Fact]
    public void Report_RatiosPerCellAndScalingOverOneAdapter()
    {
        var report = new BackendMatrixReport("w",
        [
            Run(1, 8, "ggml", Report(24, 24, 200, 0.2)),
            Run(1, 8, "grouped", Report(24, 24, 160, 0.4)),
            Run(1, 8, "baseline", Report(24, 24, 100, 0.8)),
            Run(8, 8, "ggml", Report(24, 24, 180, 0.3)),
            Run(8, 8, "grouped", Report(24, 24, 90, 0.6)),
            Run(8, 8, "baseline", Report(24, 24, 0, double.NaN)),
        ]);

        var ratios = report.Ratios;
        Assert.Equal(new MatrixRatios(1, 8, 1.25, 2, 0.5, 0.25), ratios[0]);
        Assert.Equal(new MatrixRatios(8, 8, 2, null, 0.5, null), ratios[1]);
        Assert.Equal([new AdapterScaling(8, 1, 200, 1), new AdapterScaling(8, 8, 180, 0.9)], report.Scaling);
        Assert.True(report.AllSucceeded);

        var markdown = report.ToMarkdown();
        Assert.Contains("| 8 | 8 | ggml | 24/24 | 180.0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 8 | 8 | 2.00 | – | 0.50 | – |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 8 | 8 | 180.0 | 0.90 |", markdown, StringComparison.Ordinal);
        Assert.Contains("ggml N=8 / N=1 = **0.90** (target ≥ 0.8: met); ggml / grouped = **2.00** (target ≥ 1.5: met)", markdown, StringComparison.Ordinal);
        Assert.Contains("\"ratios\"", report.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_AFailedRequest_NotAllSucceeded_TargetsUnmeasuredWithoutTheCell()
    {
        var report = new BackendMatrixReport("w", [Run(2, 4, "ggml", Report(8, 7, 50, 0.1))]);

        Assert.False(report.AllSucceeded);
        Assert.Equal([new AdapterScaling(4, 2, 50, null)], report.Scaling);
        Assert.Contains("Targets (N=8, C=8): not measured", report.ToMarkdown(), StringComparison.Ordinal);
    }

    private static MatrixRun Run(int adapters, int concurrency, string backend, LoadReport report)
    {
        var cell = new MatrixCell(adapters, concurrency, backend);
        return new MatrixRun(cell, BackendMatrix.Settings(cell), report);
    }

    private static LoadReport Report(int requests, int succeeded, double tokensPerSecond, double ttftP99) => new(
        requests,
        succeeded,
        10,
        succeeded / 10.0,
        tokensPerSecond,
        new LatencySummary(ttftP99 / 2, ttftP99, ttftP99),
        new LatencySummary(0.01, 0.02, 0.03),
        new LatencySummary(1, 2, 3),
        [],
        1,
        new Dictionary<string, int>());
}
