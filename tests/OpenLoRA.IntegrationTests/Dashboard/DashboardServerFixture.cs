using Microsoft.Playwright;
using OpenLoRA.IntegrationTests.Adapters;

namespace OpenLoRA.IntegrationTests.Dashboard;

/// <summary>
/// The real server plus Debian's Chromium driven by Microsoft.Playwright (its own driver, the system browser: nothing
/// is downloaded). .ci/run installs the browser; without it the tests fail with that advice.
/// </summary>
public sealed class DashboardServerFixture : AdapterServerFixture, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox"],
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await DisposeAsync();
    }
}
