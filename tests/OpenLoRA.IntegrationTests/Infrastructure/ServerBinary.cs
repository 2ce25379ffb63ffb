namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>Finds the built server: the test project references it, so it sits beside the tests with its runtimeconfig.</summary>
internal static class ServerBinary
{
    public static string DllPath
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "OpenLoRA.Server.dll");
            var runtimeConfig = Path.Combine(AppContext.BaseDirectory, "OpenLoRA.Server.runtimeconfig.json");
            return File.Exists(dll) && File.Exists(runtimeConfig)
                ? dll
                : throw new FileNotFoundException("OpenLoRA.Server.dll (with its runtimeconfig) is not in the test output; build the test project.", dll);
        }
    }

    /// <summary>The <c>dotnet</c> host running the tests, so the server runs on the same runtime.</summary>
    public static string DotnetHost
    {
        get
        {
            var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
            {
                return fromSdk;
            }

            var current = Environment.ProcessPath;
            return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        }
    }
}
