using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using OpenLoRA.Cli.Publishing;
using OpenLoRA.Engine.Adapters.Publishing;
using Spectre.Console;

namespace OpenLoRA.Cli.Commands;

/// <summary>
/// `openlora adapters upload`: hashes the weights, signs the canonical upload message with the publisher key and
/// streams the files to <c>POST /v1/adapters</c> with a progress bar, then prints the registered adapter.
/// </summary>
internal static class AdaptersUploadCommand
{
    private const string PeftWeights = "adapter_model.safetensors";
    private const string PeftConfig = "adapter_config.json";

    public static Command Create()
    {
        var server = PublisherOptions.Server();
        var key = PublisherOptions.Key();
        var name = new Option<string>("--name") { Description = "Adapter name (1-64 of A-Z a-z 0-9 . _ -)", Required = true };
        var baseModel = new Option<string>("--base-model") { Description = "Base model the adapter is for", Required = true };
        var description = new Option<string?>("--description") { Description = "Free text shown in listings" };
        var priceIn = Price("--price-in", "OPEN per 1,000 prompt tokens");
        var priceOut = Price("--price-out", "OPEN per 1,000 completion tokens");
        var peft = new Option<string?>("--peft") { Description = $"PEFT folder with {PeftWeights} and {PeftConfig} (instead of a GGUF file)" };
        var file = new Argument<string?>("file") { Description = "Adapter GGUF file", Arity = ArgumentArity.ZeroOrOne };
        var upload = new Command("upload", "Sign and upload an adapter (GGUF or PEFT) to a server")
        {
            server, key, name, baseModel, description, priceIn, priceOut, peft, file,
        };
        upload.SetAction((result, cancellationToken) => RunAsync(
            new UploadArguments(
                result.GetValue(server)!,
                result.GetValue(key),
                result.GetValue(name)!,
                result.GetValue(baseModel)!,
                result.GetValue(description),
                result.GetValue(priceIn)!,
                result.GetValue(priceOut)!,
                result.GetValue(file),
                result.GetValue(peft)),
            cancellationToken));
        return upload;
    }

    private static async Task<int> RunAsync(UploadArguments arguments, CancellationToken cancellationToken)
    {
        if (!PublisherSigner.TryCreate(arguments.Key, out var signer, out var keyError))
        {
            return UsageError.Report(keyError);
        }

        if (Problem(arguments) is { } problem)
        {
            return UsageError.Report(problem);
        }

        var parts = Parts(arguments);
        if (parts.FirstOrDefault(p => !File.Exists(p.Path)) is { } missing)
        {
            return UsageError.Report($"no such file: {missing.Path}");
        }

        string sha256;
        await using (var weights = File.OpenRead(parts[0].Path))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(weights, cancellationToken));
        }

        using var http = ServerReplies.Client(arguments.Server);
        var (identity, chainError) = await ServerChain.IdentityAsync(http, signer, cancellationToken);
        if (identity is null)
        {
            return UsageError.Report(chainError!);
        }

        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var message = PublisherMessages.Upload(identity, sha256, arguments.Name, arguments.BaseModel, arguments.PriceIn, arguments.PriceOut, timestamp);
        var fields = new List<(string Name, string Value)>
        {
            ("name", arguments.Name),
            ("base_model", arguments.BaseModel),
            ("price_input_per_1k", arguments.PriceIn),
            ("price_output_per_1k", arguments.PriceOut),
            ("sha256", sha256),
            ("timestamp", timestamp.ToString(CultureInfo.InvariantCulture)),
            ("signature", signer.Sign(message)),
            ("publisher", identity.Address),
        };
        if (!string.IsNullOrEmpty(arguments.Description))
        {
            fields.Add(("description", arguments.Description));
        }

        Console.Error.WriteLine($"publisher {signer.Address}, chain {identity.ChainId}, sha256 {sha256}");
        using var response = await SendAsync(http, fields, parts, cancellationToken);
        return await ServerReplies.PrintAsync(response, cancellationToken);
    }

    /// <summary>Posts the form with the files streamed from disk, showing a bar over the bytes sent.</summary>
    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, IReadOnlyList<(string Name, string Value)> fields, IReadOnlyList<UploadPart> parts, CancellationToken cancellationToken)
    {
        var total = parts.Sum(p => new FileInfo(p.Path).Length);
        HttpResponseMessage? response = null;
        // The bar goes to stderr so stdout carries only the adapter JSON, for scripts.
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask("uploading", maxValue: Math.Max(1, total));
                using var form = new MultipartFormDataContent();
                foreach (var (name, value) in fields)
                {
                    form.Add(new StringContent(value), name);
                }

                foreach (var part in parts)
                {
                    var content = new StreamContent(new ProgressStream(File.OpenRead(part.Path), read => bar.Increment(read)));
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    form.Add(content, part.PartName, Path.GetFileName(part.Path));
                }

                // Expect: 100-continue lets the server refuse (too large, unknown route) before the file goes out.
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/adapters") { Content = form };
                request.Headers.ExpectContinue = true;
                response = await http.SendAsync(request, cancellationToken);
                bar.Value = bar.MaxValue;
            });
        return response!;
    }

    private static string? Problem(UploadArguments arguments)
    {
        if ((arguments.File is null) == (arguments.Peft is null))
        {
            return "give either a GGUF file or --peft <dir>, not both";
        }

        return !IsPrice(arguments.PriceIn) ? "--price-in must be a non-negative decimal such as 0.002"
            : !IsPrice(arguments.PriceOut) ? "--price-out must be a non-negative decimal such as 0.002"
            : null;
    }

    // The server takes digits and a decimal point only, and the signed message carries the text as typed.
    private static bool IsPrice(string text) => decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _);

    /// <summary>The weights first: their hash is the one signed.</summary>
    private static List<UploadPart> Parts(UploadArguments arguments) => arguments.Peft is { } folder
        ? [new UploadPart(PeftWeights, Path.Combine(folder, PeftWeights)), new UploadPart(PeftConfig, Path.Combine(folder, PeftConfig))]
        : [new UploadPart("file", arguments.File!)];

    private static Option<string> Price(string name, string what) => new(name)
    {
        Description = $"Price in {what}",
        DefaultValueFactory = _ => "0",
    };
}
