using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenLoRA.Gguf.TestModels;
using OpenLoRA.LoadTest;

// End-to-end load generator for an OpenLoRA (or any OpenAI-compatible) server. Examples:
//   against a running server:
//     dotnet run -c Release --project benchmarks/OpenLoRA.LoadTest -- --server http://127.0.0.1:8080 --requests 200 --mode open --rate 4 --tenants 1,10
//   the scheduler against llama.cpp's policy on the bench model, both servers started here, one after the other:
//     dotnet run -c Release --project benchmarks/OpenLoRA.LoadTest -- --spawn --bench --baseline --concurrency 32 --requests 256 --ignore-eos
//   the step backends (ggml, grouped LLamaSharp, baseline) for 1, 8 and 64 distinct adapters at 8 and 32 clients,
//   18 servers one after the other (adapters beyond the bench set's 16 are generated once):
//     dotnet run -c Release --project benchmarks/OpenLoRA.LoadTest -- --spawn --bench --backend-matrix --zipf 0 --ignore-eos --prompt-words 4..12 --output-tokens 32..64
var server = new Option<string>("--server") { Description = "Server base address (ignored with --spawn)", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
var models = new Option<string?>("--models") { Description = "Comma-separated models; default: every adapter the server lists" };
var requests = new Option<int>("--requests") { DefaultValueFactory = _ => 200 };
var mode = new Option<string>("--mode") { Description = "open (Poisson arrivals) or closed (fixed concurrency)", DefaultValueFactory = _ => "closed" };
var rate = new Option<double>("--rate") { Description = "Requests per second (open loop)", DefaultValueFactory = _ => 4 };
var concurrency = new Option<int>("--concurrency") { Description = "Clients (closed loop)", DefaultValueFactory = _ => 8 };
var zipf = new Option<double>("--zipf") { Description = "Zipf exponent over models (0 = uniform)", DefaultValueFactory = _ => 1.1 };
var prompt = new Option<string>("--prompt-words") { Description = "min..max prompt words", DefaultValueFactory = _ => "8..64" };
var output = new Option<string>("--output-tokens") { Description = "min..max output tokens", DefaultValueFactory = _ => "16..64" };
var ignoreEos = new Option<bool>("--ignore-eos") { Description = "Ask the server to generate exactly max_tokens" };
var tenants = new Option<string>("--tenants") { Description = "Relative request weights of tenants, e.g. 1,10", DefaultValueFactory = _ => "1" };
var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
var report = new Option<string>("--report") { Description = "Report path without extension (.json and .md are written)", DefaultValueFactory = _ => "loadtest-report" };
var spawn = new Option<bool>("--spawn") { Description = "Start the server here (OpenLoRA.Server.dll built beside this tool) on a free loopback port" };
var serverDll = new Option<string>("--server-dll") { Description = "The server to start with --spawn", DefaultValueFactory = _ => ServerProcess.DefaultDll };
var bench = new Option<bool>("--bench") { Description = "With --spawn: serve the generated 134M bench model and its 16 adapters" };
var modelsDir = new Option<string>("--models-dir")
{
    Description = "Where --bench generates the bench model",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OPENLORA_MODELS") ?? Path.Combine(Path.GetTempPath(), "openlora-bench-models"),
};
var slots = new Option<int>("--slots") { Description = "With --bench: KV sequence slots (MaxSequences)", DefaultValueFactory = _ => 16 };
var set = new Option<string[]>("--set") { Description = "With --spawn: extra server configuration Key=Value (repeatable)", AllowMultipleArgumentsPerToken = true };
var baseline = new Option<bool>("--baseline") { Description = "Also run the baseline policy (one adapter configuration per step, FIFO admission) on the same workload" };
var baselineServer = new Option<string?>("--baseline-server") { Description = "Without --spawn: a running server configured with the baseline policy" };
var backendMatrix = new Option<bool>("--backend-matrix") { Description = "With --spawn --bench: every step backend (ggml, grouped, baseline) for every adapter count and concurrency" };
var adapterCounts = new Option<string>("--adapter-counts") { Description = "With --backend-matrix: distinct adapters N per run", DefaultValueFactory = _ => "1,8,64" };
var concurrencies = new Option<string>("--concurrencies") { Description = "With --backend-matrix: clients C (and MaxSequences) per run", DefaultValueFactory = _ => "8,32" };
var rounds = new Option<int>("--rounds") { Description = "With --backend-matrix: requests per run = rounds × C", DefaultValueFactory = _ => 3 };
var root = new RootCommand("OpenLoRA end-to-end load generator")
{
    server, models, requests, mode, rate, concurrency, zipf, prompt, output, ignoreEos, tenants, seed, report,
    spawn, serverDll, bench, modelsDir, slots, set, baseline, baselineServer, backendMatrix, adapterCounts, concurrencies, rounds,
};
root.SetAction(async (result, cancellationToken) =>
{
    var (promptMin, promptMax) = Range(result.GetValue(prompt)!);
    var (outputMin, outputMax) = Range(result.GetValue(output)!);
    var options = new LoadTestOptions
    {
        Server = new Uri(result.GetValue(server)!, UriKind.Absolute),
        Models = result.GetValue(models) is { } list ? list.Split(',') : [],
        Requests = result.GetValue(requests),
        Mode = result.GetValue(mode) == "open" ? "open" : "closed",
        Rate = result.GetValue(rate),
        Concurrency = result.GetValue(concurrency),
        ZipfExponent = result.GetValue(zipf),
        PromptWordsMin = promptMin,
        PromptWordsMax = promptMax,
        OutputTokensMin = outputMin,
        OutputTokensMax = outputMax,
        IgnoreEos = result.GetValue(ignoreEos),
        TenantWeights = result.GetValue(tenants)!.Split(',').Select(w => double.Parse(w, CultureInfo.InvariantCulture)).ToArray(),
        Seed = result.GetValue(seed),
        ReportPath = result.GetValue(report)!,
    };

    if (result.GetValue(backendMatrix))
    {
        if (!result.GetValue(spawn) || !result.GetValue(bench) || result.GetValue(models) is not null || result.GetValue(rounds) < 1)
        {
            Console.Error.WriteLine("--backend-matrix needs --spawn --bench, takes no --models (each run uses the first N adapters) and --rounds of at least 1.");
            return 1;
        }

        IReadOnlyList<int> counts, clients;
        try
        {
            counts = BackendMatrix.ParseCounts(result.GetValue(adapterCounts)!, "--adapter-counts");
            clients = BackendMatrix.ParseCounts(result.GetValue(concurrencies)!, "--concurrencies");
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }

        var directory = result.GetValue(modelsDir)!;
        var benchSettings = SpawnSettings(directory, result.GetValue(slots), result.GetValue(set));
        return await RunBackendMatrixAsync(result.GetValue(serverDll)!, directory, benchSettings, counts, clients, result.GetValue(rounds), options, cancellationToken);
    }

    LoadReport scheduler;
    LoadReport? baselineReport = null;
    var schedulerSettings = "the server's configuration";
    var baselineSettings = "the baseline server's configuration";
    if (result.GetValue(spawn))
    {
        var settings = SpawnSettings(result.GetValue(bench) ? result.GetValue(modelsDir) : null, result.GetValue(slots), result.GetValue(set));
        if (result.GetValue(bench) && options.Models.Count == 0)
        {
            // The bench set's 16 adapters, not the bench-x-NN variants a --backend-matrix run adds to the same folder.
            var bench16 = TestModelGenerator.EnsureBenchModels(result.GetValue(modelsDir)!).AdapterPaths;
            options = options with { Models = bench16.Select(Path.GetFileNameWithoutExtension).ToArray()! };
        }

        schedulerSettings = Describe(settings, "defaults: the ggml backend for the bench model, FIFO admission under tenant fairness, every adapter group every step");
        scheduler = await RunSpawnedAsync(result.GetValue(serverDll)!, settings, options, cancellationToken);
        if (result.GetValue(baseline))
        {
            foreach (var (key, value) in BackendMatrix.BaselinePolicy)
            {
                settings[key] = value;
            }
            baselineSettings = Describe(settings, "");
            baselineReport = await RunSpawnedAsync(result.GetValue(serverDll)!, settings, options, cancellationToken);
        }
    }
    else
    {
        scheduler = await RunAsync(options.Server, options, cancellationToken);
        if (result.GetValue(baselineServer) is { } other)
        {
            baselineReport = await RunAsync(new Uri(other, UriKind.Absolute), options, cancellationToken);
        }
        else if (result.GetValue(baseline))
        {
            Console.Error.WriteLine("--baseline needs --spawn or --baseline-server.");
            return 1;
        }
    }

    string json, markdown;
    if (baselineReport is null)
    {
        json = scheduler.ToJson();
        markdown = scheduler.ToMarkdown(options);
    }
    else
    {
        var comparison = new PolicyComparison(schedulerSettings, baselineSettings, scheduler, baselineReport);
        json = comparison.ToJson();
        markdown = comparison.ToMarkdown(options);
    }

    var allSucceeded = scheduler.Succeeded == scheduler.Requests && (baselineReport is null || baselineReport.Succeeded == baselineReport.Requests);
    return await WriteReportsAsync(options.ReportPath, json, markdown, allSucceeded, cancellationToken);
});
return await root.Parse(args).InvokeAsync();

static async Task<int> WriteReportsAsync(string path, string json, string markdown, bool allSucceeded, CancellationToken cancellationToken)
{
    await File.WriteAllTextAsync(path + ".json", json, cancellationToken);
    await File.WriteAllTextAsync(path + ".md", markdown, cancellationToken);
    Console.WriteLine(markdown);
    return allSucceeded ? 0 : 2;
}

// Every (N, C, backend) of the matrix on its own spawned server, then one report over all of them.
static async Task<int> RunBackendMatrixAsync(
    string dll,
    string modelsDirectory,
    IReadOnlyDictionary<string, string> benchSettings,
    IReadOnlyList<int> adapterCounts,
    IReadOnlyList<int> concurrencies,
    int rounds,
    LoadTestOptions options,
    CancellationToken cancellationToken)
{
    if (BackendMatrix.ExtraAdaptersNeeded(adapterCounts) is var extra and > 0)
    {
        Console.WriteLine($"Generating {extra} more bench adapters (once) ...");
        TestModelGenerator.EnsureBenchAdapterVariants(modelsDirectory, extra);
    }

    var runs = await BackendMatrix.RunAsync(BackendMatrix.Cells(adapterCounts, concurrencies), (cell, cellSettings) =>
    {
        var settings = new Dictionary<string, string>(benchSettings, StringComparer.Ordinal);
        foreach (var (key, value) in cellSettings)
        {
            settings[key] = value;
        }

        return RunSpawnedAsync(dll, settings, BackendMatrix.Workload(options, cell, rounds), cancellationToken, cell.Adapters);
    }, Console.Out);
    var matrix = new BackendMatrixReport(BackendMatrix.DescribeWorkload(options, rounds), runs);
    return await WriteReportsAsync(options.ReportPath, matrix.ToJson(), matrix.ToMarkdown(), matrix.AllSucceeded, cancellationToken);
}

// firstAdapters: send to the first N adapters (ordinal) the server lists instead of options.Models.
static async Task<LoadReport> RunSpawnedAsync(string dll, IReadOnlyDictionary<string, string> settings, LoadTestOptions options, CancellationToken cancellationToken, int? firstAdapters = null)
{
    Console.WriteLine($"Starting {dll} ...");
    await using var process = await ServerProcess.StartAsync(dll, settings, cancellationToken);
    return await RunAsync(process.Address, options, cancellationToken, firstAdapters);
}

static async Task<LoadReport> RunAsync(Uri address, LoadTestOptions options, CancellationToken cancellationToken, int? firstAdapters = null)
{
    options = options with { Server = address };
    using var http = new HttpClient { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
    if (firstAdapters is { } count)
    {
        var listed = await AdaptersAsync(http, cancellationToken);
        options = listed.Count >= count
            ? options with { Models = listed.Take(count).ToArray() }
            : throw new InvalidOperationException($"{address} lists {listed.Count} adapters, fewer than the {count} asked for.");
    }

    var names = options.Models.Count > 0 ? options.Models : await AdaptersAsync(http, cancellationToken);
    if (names.Count == 0)
    {
        throw new InvalidOperationException($"{address} lists no adapters to send requests to.");
    }

    var plans = WorkloadPlanner.Plan(options, names);
    var (results, wall) = await new LoadRunner(new StreamingClient(http, options), options).RunAsync(plans, cancellationToken);
    return LoadReport.From(results, wall, options.TenantWeights);
}

// The spawned server's configuration: chain and billing off, the bench model when benchDirectory is given, then --set pairs.
static Dictionary<string, string> SpawnSettings(string? benchDirectory, int slots, string[]? pairs)
{
    var settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["OpenLoRA:Chain:Mode"] = "off", ["OpenLoRA:Billing:Enabled"] = "false" };
    if (benchDirectory is not null)
    {
        AddBenchModel(settings, benchDirectory, slots);
    }

    foreach (var pair in pairs ?? [])
    {
        var at = pair.IndexOf('=', StringComparison.Ordinal);
        settings[pair[..at]] = pair[(at + 1)..];
    }

    return settings;
}

static void AddBenchModel(Dictionary<string, string> settings, string directory, int slots)
{
    Console.WriteLine($"Generating the bench model into {directory} (once) ...");
    var bench = TestModelGenerator.EnsureBenchModels(directory);
    settings["OpenLoRA:Engine:BaseModels:0:Name"] = "bench-llama";
    settings["OpenLoRA:Engine:BaseModels:0:Path"] = bench.BaseModelPath;
    settings["OpenLoRA:Engine:BaseModels:0:AdapterDirectory"] = bench.AdapterDirectory;
    settings["OpenLoRA:Engine:BaseModels:0:ContextSize"] = "512";
    settings["OpenLoRA:Engine:BaseModels:0:MaxSequences"] = slots.ToString(CultureInfo.InvariantCulture);
    settings["OpenLoRA:Engine:BaseModels:0:StepTokenBudget"] = "512";
    settings["OpenLoRA:Engine:BaseModels:0:QueueCapacity"] = "4096";
}

static string Describe(IReadOnlyDictionary<string, string> settings, string note)
{
    var policy = settings.Where(s => s.Key.EndsWith(":Backend", StringComparison.Ordinal) || s.Key.EndsWith(":Admission", StringComparison.Ordinal) || s.Key.EndsWith(":MaxAdapterGroupsPerStep", StringComparison.Ordinal) || s.Key.EndsWith(":MaxSequences", StringComparison.Ordinal))
        .Select(s => $"{s.Key[(s.Key.LastIndexOf(':') + 1)..]}={s.Value}");
    var text = string.Join(", ", policy);
    return note.Length == 0 ? text : text.Length == 0 ? note : $"{text} ({note})";
}

static (int Min, int Max) Range(string text)
{
    var parts = text.Split("..");
    var min = int.Parse(parts[0], CultureInfo.InvariantCulture);
    return (min, parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : min);
}

static async Task<IReadOnlyList<string>> AdaptersAsync(HttpClient http, CancellationToken cancellationToken)
{
    var list = await http.GetFromJsonAsync<JsonElement>("/v1/models", cancellationToken);
    return list.GetProperty("data").EnumerateArray()
        .Where(m => m.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.String)
        .Select(m => m.GetProperty("id").GetString()!)
        .OrderBy(id => id, StringComparer.Ordinal)
        .ToArray();
}
