namespace OpenLoRA.IntegrationTests.Dashboard;

/// <summary>
/// A fact that needs Debian's Chromium: skipped with the reason when the browser is missing on a developer's machine,
/// run (and failed loudly by <see cref="ChromiumFixture.Browser"/>) when it is missing where it is required.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!ChromiumFixture.Installed && !ChromiumFixture.Required)
        {
            Skip = $"{ChromiumFixture.ExecutablePath} is not installed (apt-get install -y --no-install-recommends chromium); "
                + "set CI or OPENLORA_REQUIRE_CHROMIUM=1 to make that a failure.";
        }
    }
}
