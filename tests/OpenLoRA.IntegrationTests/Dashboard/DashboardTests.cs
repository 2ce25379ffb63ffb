using System.Net.Http.Json;
using Microsoft.Playwright;
using Nethereum.Signer;
using OpenLoRA.IntegrationTests.Adapters;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Dashboard;

/// <summary>The dashboard at / in headless Chromium, against the real server.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(DashboardServerFixture server)
{
    private static readonly float Timeout = (float)TestTimeouts.Request.TotalMilliseconds;

    [Fact]
    public async Task Open_ThePage_LoadsWithoutConsoleErrors()
    {
        var (page, errors) = await OpenAsync();

        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent === 'live'", null, new() { Timeout = Timeout });
        Assert.Equal("OpenLoRA", await page.TitleAsync());
        Assert.True(await page.Locator("#adapters tr").CountAsync() >= 4, "the folder adapters are listed");
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Upload_ThroughTheForm_SignsInThePageAndTheAdapterIsListed()
    {
        var (page, errors) = await OpenAsync();
        var key = EthECKey.GenerateKey();
        var file = Path.Combine(server.Folder("dashboard"), "from-the-dashboard.gguf");
        await File.WriteAllBytesAsync(file, server.Variant(501));

        await page.SetInputFilesAsync("#upload-file", file);
        await page.FillAsync("#upload-name", "from-the-dashboard");
        await page.FillAsync("#upload-base", TestModels.BaseModel);
        await page.FillAsync("#upload-key", key.GetPrivateKey());
        await page.ClickAsync("#upload-submit");

        await page.Locator("#adapters td", new() { HasTextString = "from-the-dashboard" }).First.WaitForAsync(new() { Timeout = Timeout });
        var adapter = await server.Http.GetJsonAsync("/v1/adapters/from-the-dashboard");
        Assert.Equal(key.GetPublicAddress().ToLowerInvariant(), adapter.GetProperty("publisher").GetString());
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Charts_WhileRequestsRun_ShowThroughput()
    {
        var (page, errors) = await OpenAsync();
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
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
            }
        });
        try
        {
            await page.WaitForFunctionAsync("() => Number(document.getElementById('throughput').dataset.latest) > 0", null, new() { Timeout = Timeout });
            await page.WaitForFunctionAsync("() => Number(document.getElementById('latency').dataset.latest) > 0", null, new() { Timeout = Timeout });
        }
        finally
        {
            await stop.CancelAsync();
            await load;
        }

        Assert.Empty(errors);
        await page.CloseAsync();
    }

    private async Task<(IPage Page, List<string> Errors)> OpenAsync()
    {
        var browser = server.Browser
            ?? throw new InvalidOperationException($"{DashboardServerFixture.ChromiumPath} is not installed: run .ci/run, which installs Debian's chromium, or apt-get install chromium.");
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        await page.GotoAsync(server.BaseAddress.ToString());
        return (page, errors);
    }
}
