using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Nethereum.Signer;
using OpenLoRA.IntegrationTests.Adapters;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Dashboard;

/// <summary>The dashboard at / in headless Chromium, against the real server.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(DashboardServerFixture server, ChromiumFixture chromium)
{
    private static readonly float Timeout = (float)TestTimeouts.Request.TotalMilliseconds;

    [ChromiumFact]
    public async Task Open_ThePage_LoadsWithoutConsoleErrorsAndShowsEveryPanel()
    {
        var (page, errors) = await OpenAsync();

        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent === 'live'", null, new() { Timeout = Timeout });
        Assert.Equal("OpenLoRA", await page.TitleAsync());
        foreach (var panel in new[] { "#throughput", "#latency", "#adapters-panel", "#upload", "#try", "#traces-panel", "#batches-panel", "#balance-panel" })
        {
            Assert.True(await page.Locator(panel).IsVisibleAsync(), $"{panel} is shown");
        }

        await page.Locator($"#adapters tr[data-name='{TestModels.Adapter}']").WaitForAsync(new() { Timeout = Timeout });
        Assert.Contains("resident", await page.Locator("#resident").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task DashboardFiles_KnownAndUnknown_ServedOr404()
    {
        using var page = await server.Http.GetAsync("/");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        using var script = await server.Http.GetAsync("/dashboard/dashboard.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        using var missing = await server.Http.GetAsync("/dashboard/nothing-here.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [ChromiumFact]
    public async Task Upload_ThroughTheForm_SignsInThePageAndTheAdapterIsListed()
    {
        var (page, errors) = await OpenAsync();
        var key = EthECKey.GenerateKey();
        var address = key.GetPublicAddress().ToLowerInvariant();
        var file = Path.Combine(server.Folder("dashboard"), "from-the-dashboard.gguf");
        await File.WriteAllBytesAsync(file, server.Variant(501));

        await page.SetInputFilesAsync("#upload-file", file);
        await page.FillAsync("#upload-name", "from-the-dashboard");
        await page.FillAsync("#upload-base", TestModels.BaseModel);
        await page.FillAsync("#upload-description", "published from the dashboard test");
        await page.FillAsync("#upload-key", key.GetPrivateKey());
        await page.ClickAsync("#upload-submit");

        await page.Locator("#adapters tr[data-name='from-the-dashboard']").WaitForAsync(new() { Timeout = Timeout });
        Assert.Contains(address, await page.Locator("#upload-result").InnerTextAsync(), StringComparison.Ordinal);
        var adapter = await server.Http.GetJsonAsync("/v1/adapters/from-the-dashboard");
        Assert.Equal(address, adapter.GetProperty("publisher").GetString());
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [ChromiumFact]
    public async Task PersonalSign_InThePage_IsByteIdenticalToNethereum()
    {
        var (page, _) = await OpenAsync();
        await page.WaitForFunctionAsync("() => window.openlora !== undefined", null, new() { Timeout = Timeout });
        string[] messages = ["hello", "OpenLoRA adapter upload\nsha256: 00\nname: x", "ünïcode ✓ and a longer text " + new string('x', 300)];

        for (var i = 0; i < 8; i++)
        {
            var key = EthECKey.GenerateKey();
            var message = messages[i % messages.Length];
            var expected = new EthereumMessageSigner().EncodeUTF8AndSign(message, key);

            // RFC 6979 makes the signature a function of key and text, so it must match Nethereum's byte for byte.
            var actual = await page.EvaluateAsync<string>("([k, m]) => window.openlora.personalSign(k, m)", new[] { key.GetPrivateKey(), message });
            Assert.Equal(expected, actual);
            Assert.Equal(key.GetPublicAddress().ToLowerInvariant(), await page.EvaluateAsync<string>("k => window.openlora.addressOf(k)", key.GetPrivateKey()));
        }

        await page.CloseAsync();
    }

    [ChromiumFact]
    public async Task TryIt_AChatRequest_ItsTraceIsVerifiedInThePage()
    {
        var (page, errors) = await OpenAsync();

        await page.FillAsync("#try-model", TestModels.Adapter);
        await page.FillAsync("#try-max-tokens", "8");
        await page.ClickAsync("#try-submit");

        // The fixture seals a batch every second; the page re-reads open traces until the proof is there.
        await page.Locator("#traces tr[data-hash-ok='true'][data-proof-ok='true']").WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal(0, await page.Locator("#traces .bad").CountAsync());
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [ChromiumFact]
    public async Task Balance_BillingOff_ShowsTheServersAnswer()
    {
        var (page, errors) = await OpenAsync();

        await page.FillAsync("#api-key", "sk-any");
        await page.ClickAsync("#balance-check");

        await page.Locator("#balance tr").First.WaitForAsync(new() { Timeout = Timeout });
        var shown = await page.Locator("#balance").InnerTextAsync();
        using var response = await server.Http.GetAsync("/v1/account");
        var error = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("error");
        var expected = error.GetProperty("code").GetString() == "billing_disabled"
            ? "Billing is off on this server"
            : error.GetProperty("message").GetString()!;
        Assert.Contains(expected, shown, StringComparison.Ordinal);

        // The failed fetch itself is logged by Chromium ("Failed to load resource"); the page's own code must not throw.
        Assert.DoesNotContain(errors, e => e.StartsWith("page error", StringComparison.Ordinal));
        await page.CloseAsync();
    }

    [ChromiumFact]
    public async Task Charts_WhileRequestsRun_ShowThroughputAndLatency()
    {
        var (page, errors) = await OpenAsync();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await server.Http.PostAsJsonAsync("/v1/chat/completions", new
                {
                    model = TestModels.Adapter,
                    messages = new[] { new { role = "user", content = "Keep the charts busy." } },
                    max_tokens = 64,
                    ignore_eos = true,
                });
                response.EnsureSuccessStatusCode();
            }
        })).ToArray();
        try
        {
            await page.WaitForFunctionAsync("() => Number(document.getElementById('throughput').dataset.latest) > 0", null, new() { Timeout = Timeout });
            await page.WaitForFunctionAsync("() => Number(document.getElementById('latency').dataset.latest) > 0", null, new() { Timeout = Timeout });
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        Assert.Empty(errors);
        await page.CloseAsync();
    }

    private async Task<(IPage Page, List<string> Errors)> OpenAsync()
    {
        var page = await chromium.Browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add($"console: {message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add("page error: " + error);
            }
        };
        await page.GotoAsync(server.BaseAddress.ToString());
        return (page, errors);
    }
}
