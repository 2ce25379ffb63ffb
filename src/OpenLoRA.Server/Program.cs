using Microsoft.Extensions.Options;
using OpenLoRA.Engine;
using OpenLoRA.Server.Attribution;
using OpenLoRA.Server.Billing;
using OpenLoRA.Server.Chain;
using OpenLoRA.Server.Dashboard;
using OpenLoRA.Server.Endpoints.Accounts;
using OpenLoRA.Server.Endpoints.Attribution;
using OpenLoRA.Server.Hosting;

// Set once the host has started: a failure after that is not a start-up failure and keeps its full exception.
var started = false;
try
{
    // Content root is the current directory: run from the repository root, appsettings.json and the relative model
    // paths in it resolve there. Everything can be overridden with environment variables or `--Key=value` arguments.
    var builder = WebApplication.CreateBuilder(args);
    ListenPreflight.Check(builder.Configuration);

    // The host logs a failed start with its stack trace; the one line below says it instead. Faults after start
    // (a background service stopping the host) are Critical and still logged in full.
    builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

    // Chain mode "local" (the default): anvil, the contracts and their addresses, set up before the host is built.
    using var startupLogs = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddConsole());
    await using var localChain = await LocalChain.StartIfConfiguredAsync(
        builder.Configuration, builder.Environment.ContentRootPath, startupLogs.CreateLogger<LocalChain>(), CancellationToken.None);

    builder.AddOpenLoRAServer();
    builder.Services.AddOpenLoRAEngine(builder.Configuration);

    // The chain bridge is registered before attribution so it stops after the sealer's final batch.
    builder.AddOpenLoRAChain();
    builder.AddOpenLoRAAttribution();
    builder.AddOpenLoRABilling();

    var app = builder.Build();

    // Every option validated now (the host would do it on start, and log the failure with a stack trace).
    app.Services.GetService<IStartupValidator>()?.Validate();
    app.UseOpenLoRAServer();
    app.MapAttributionEndpoints();
    AccountEndpoints.Map(app);
    app.MapOpenLoRADashboard();
    app.Lifetime.ApplicationStarted.Register(() => started = true);
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is not OperationCanceledException && !started)
{
    return StartupFailure.Report(ex, Console.Error);
}
