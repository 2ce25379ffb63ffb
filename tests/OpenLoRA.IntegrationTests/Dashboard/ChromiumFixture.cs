using Microsoft.Playwright;

namespace OpenLoRA.IntegrationTests.Dashboard;

/// <summary>
/// Debian's Chromium driven by Microsoft.Playwright's own driver (shipped in the NuGet package): nothing is downloaded,
/// `playwright install` is never run. Launched once per collection and closed with it. When the browser is missing
/// the tests skip (<see cref="ChromiumFactAttribute"/>) unless Chromium is required, and then they fail with advice.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Set in CI (the CI variable, or OPENLORA_REQUIRE_CHROMIUM=1 from .ci/run): a missing browser is a failure there.</summary>
    public static bool Required =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
        || Environment.GetEnvironmentVariable("OPENLORA_REQUIRE_CHROMIUM") == "1";

    public static bool Installed => File.Exists(ExecutablePath);

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(
        $"Chromium is required for the dashboard tests but {ExecutablePath} is missing: "
        + "apt-get install -y --no-install-recommends chromium (.ci/run does this when it runs as root).");

    public async Task InitializeAsync()
    {
        // A missing browser is reported by each test (skip or fail), not by the fixture, whose exception would hide
        // the reason behind a collection-fixture error.
        if (!Installed)
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Root in a container has no user namespace for Chromium's sandbox.
            Args = ["--no-sandbox"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
