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
var root = new RootCommand("OpenLoRA end-to-end load generator")
{
    server, models, requests, mode, rate, concurrency, zipf, prompt, output, ignoreEos, tenants, seed, report,
    spawn, serverDll, bench, modelsDir, slots, set, baseline, baselineServer,
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

    LoadReport scheduler;
    LoadReport? baselineReport = null;
    var schedulerSettings = "the server's configuration";
    var baselineSettings = "the baseline server's configuration";
    if (result.GetValue(spawn))
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["OpenLoRA:Chain:Mode"] = "off", ["OpenLoRA:Billing:Enabled"] = "false" };
        if (result.GetValue(bench))
        {
            AddBenchModel(settings, result.GetValue(modelsDir)!, result.GetValue(slots));
        }

        foreach (var pair in result.GetValue(set) ?? [])
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            settings[pair[..at]] = pair[(at + 1)..];
        }

        schedulerSettings = Describe(settings, "defaults: FIFO admission under tenant fairness, every adapter group every step");
        scheduler = await RunSpawnedAsync(result.GetValue(serverDll)!, settings, options, cancellationToken);
        if (result.GetValue(baseline))
        {
            settings["OpenLoRA:Engine:BaseModels:0:Admission"] = "Fifo";
            settings["OpenLoRA:Engine:BaseModels:0:MaxAdapterGroupsPerStep"] = "1";
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

    await File.WriteAllTextAsync(options.ReportPath + ".json", json, cancellationToken);
    await File.WriteAllTextAsync(options.ReportPath + ".md", markdown, cancellationToken);
    Console.WriteLine(markdown);
    var allSucceeded = scheduler.Succeeded == scheduler.Requests && (baselineReport is null || baselineReport.Succeeded == baselineReport.Requests);
    return allSucceeded ? 0 : 2;
});
return await root.Parse(args).InvokeAsync();

static async Task<LoadReport> RunSpawnedAsync(string dll, IReadOnlyDictionary<string, string> settings, LoadTestOptions options, CancellationToken cancellationToken)
{
    Console.WriteLine($"Starting {dll} ...");
    await using var process = await ServerProcess.StartAsync(dll, settings, cancellationToken);
    return await RunAsync(process.Address, options, cancellationToken);
}

static async Task<LoadReport> RunAsync(Uri address, LoadTestOptions options, CancellationToken cancellationToken)
{
    options = options with { Server = address };
    using var http = new HttpClient { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
    var names = options.Models.Count > 0 ? options.Models : await AdaptersAsync(http, cancellationToken);
    if (names.Count == 0)
    {
        throw new InvalidOperationException($"{address} lists no adapters to send requests to.");
    }

    var plans = WorkloadPlanner.Plan(options, names);
    var (results, wall) = await new LoadRunner(new StreamingClient(http, options), options).RunAsync(plans, cancellationToken);
    return LoadReport.From(results, wall, options.TenantWeights);
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
    var policy = settings.Where(s => s.Key.EndsWith(":Admission", StringComparison.Ordinal) || s.Key.EndsWith(":MaxAdapterGroupsPerStep", StringComparison.Ordinal) || s.Key.EndsWith(":MaxSequences", StringComparison.Ordinal))
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
