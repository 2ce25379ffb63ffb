using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenLoRA.Gguf.TestModels;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Operations;

/// <summary>
/// A server that cannot start says why in one line, with the fix, and exits 1: no stack trace, no exception names.
/// Each case runs the real server binary in an empty work directory.
/// </summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task Start_PortInUse_OneLineNamingTheAddressAndExit1()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";

        var (exitCode, output) = await RunServerAsync(url, "--OpenLoRA:Chain:Mode=off");

        AssertOneClearLine(exitCode, output, $"cannot listen on {url}", "--urls");
    }

    [Fact]
    public async Task Start_AnvilNotInstalled_OneLineNamingTheFixAndExit1()
    {
        var (exitCode, output) = await RunServerAsync(
            $"http://127.0.0.1:{FreeTcpPort.Next()}", "--OpenLoRA:Chain:Mode=local", "--OpenLoRA:Chain:AnvilPath=/nonexistent/anvil");

        AssertOneClearLine(exitCode, output, "anvil not found at '/nonexistent/anvil'", "OpenLoRA:Chain:Mode=off");
    }

    [Fact]
    public async Task Start_InvalidConfiguration_OneLineListingTheProblemsAndExit1()
    {
        var (exitCode, output) = await RunServerAsync($"http://127.0.0.1:{FreeTcpPort.Next()}", "--OpenLoRA:Chain:Mode=remote");

        AssertOneClearLine(exitCode, output, "invalid configuration: RpcUrl must be an absolute http(s) URL.", "appsettings.json");
    }

    [Fact]
    public async Task Start_ConfigurationValueOfTheWrongKind_OneLineNamingTheKeyAndExit1()
    {
        var (exitCode, output) = await RunServerAsync(
            $"http://127.0.0.1:{FreeTcpPort.Next()}", "--OpenLoRA:Chain:Mode=off", "--OpenLoRA:Engine:MaxAdapterBytes=lots");

        AssertOneClearLine(exitCode, output, "'lots' at 'OpenLoRA:Engine:MaxAdapterBytes'", "appsettings.json");
    }

    [Fact]
    public async Task Start_ModelWithAChatTemplateLlamaCppCannotRender_OneLineNamingTheModelAndTheTemplateAndExit1()
    {
        var models = Directory.CreateTempSubdirectory("openlora-template-");
        try
        {
            var tiny = TestModelGenerator.EnsureTinyModels(models.FullName);
            var path = Path.Combine(models.FullName, "unrenderable-template.gguf");
            ChatTemplateVariant.Write(tiny.BaseModelPath, path, "{% for message in messages %}<|turn|>{{ message['content'] }}{% endfor %}");

            var (exitCode, output) = await RunServerAsync(
                $"http://127.0.0.1:{FreeTcpPort.Next()}", "--OpenLoRA:Chain:Mode=off", "--OpenLoRA:Billing:Enabled=false",
                $"--OpenLoRA:Engine:BaseModels:0:Path={path}", $"--OpenLoRA:Engine:BaseModels:0:AdapterDirectory={tiny.AdapterDirectory}");

            AssertOneClearLine(
                exitCode, output,
                $"Model {TestModels.BaseModel} cannot start: its chat template (GGUF tokenizer.chat_template, 73 characters, starting '{{% for message in messages %}}<|turn|>",
                "llama_chat_apply_template returned -1");
        }
        finally
        {
            models.Delete(recursive: true);
        }
    }

    private static void AssertOneClearLine(int exitCode, string output, string cause, string fix)
    {
        Assert.True(exitCode == 1, $"exit code {exitCode}; output:{Environment.NewLine}{output}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var failure = Assert.Single(lines, l => l.StartsWith("openlora: ", StringComparison.Ordinal));
        Assert.Contains(cause, failure, StringComparison.Ordinal);
        Assert.Contains(fix, failure, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunServerAsync(string url, params string[] settings)
    {
        var work = Directory.CreateTempSubdirectory("openlora-startup-");
        var start = new ProcessStartInfo(ServerBinary.DotnetHost)
        {
            WorkingDirectory = work.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerBinary.DllPath);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url);
        start.ArgumentList.Add($"--OpenLoRA:Engine:DataDirectory={Path.Combine(work.FullName, "data")}");
        start.ArgumentList.Add($"--OpenLoRA:Engine:ModelsDirectory={Path.Combine(work.FullName, "models")}");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("OPENLORA_STACK_TRACES");
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var timeout = new CancellationTokenSource(TestTimeouts.ServerStart);
            await process.WaitForExitAsync(timeout.Token);
            lock (output)
            {
                return (process.ExitCode, output.ToString());
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            work.Delete(recursive: true);
        }
    }
}
