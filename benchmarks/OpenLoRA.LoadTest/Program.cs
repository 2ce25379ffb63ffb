using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenLoRA.LoadTest;

// End-to-end load generator for an OpenLoRA (or any OpenAI-compatible) server. Example:
//   dotnet run -c Release --project benchmarks/OpenLoRA.LoadTest -- --server http://127.0.0.1:8080 --requests 200 --mode open --rate 4 --tenants 1,10
var server = new Option<string>("--server") { Description = "Server base address", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
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
var root = new RootCommand("OpenLoRA end-to-end load generator")
{
    server, models, requests, mode, rate, concurrency, zipf, prompt, output, ignoreEos, tenants, seed, report,
};
root.SetAction(async (result, cancellationToken) =>
{
    var (promptMin, promptMax) = Range(result.GetValue(prompt)!);
    var (outputMin, outputMax) = Range(result.GetValue(output)!);
    var options = new LoadTestOptions
    {
        Server = new Uri(result.GetValue(server)!, UriKind.Absolute),
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
    using var http = new HttpClient { BaseAddress = options.Server, Timeout = Timeout.InfiniteTimeSpan };
    var names = result.GetValue(models) is { } list ? list.Split(',') : await AdaptersAsync(http, cancellationToken);
    if (names.Length == 0)
    {
        Console.Error.WriteLine("No models to send requests to.");
        return 1;
    }

    var plans = WorkloadPlanner.Plan(options, names);
    var (results, wall) = await new LoadRunner(new StreamingClient(http, options), options).RunAsync(plans, cancellationToken);
    var summary = LoadReport.From(results, wall, options.TenantWeights);
    await File.WriteAllTextAsync(options.ReportPath + ".json", summary.ToJson(), cancellationToken);
    var markdown = summary.ToMarkdown(options);
    await File.WriteAllTextAsync(options.ReportPath + ".md", markdown, cancellationToken);
    Console.WriteLine(markdown);
    return summary.Succeeded == summary.Requests ? 0 : 2;
});
return await root.Parse(args).InvokeAsync();

static (int Min, int Max) Range(string text)
{
    var parts = text.Split("..");
    var min = int.Parse(parts[0], CultureInfo.InvariantCulture);
    return (min, parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : min);
}

static async Task<string[]> AdaptersAsync(HttpClient http, CancellationToken cancellationToken)
{
    var list = await http.GetFromJsonAsync<JsonElement>("/v1/models", cancellationToken);
    return list.GetProperty("data").EnumerateArray()
        .Where(m => m.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.String)
        .Select(m => m.GetProperty("id").GetString()!)
        .ToArray();
}
