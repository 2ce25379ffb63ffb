using OpenLoRA.Engine;
using OpenLoRA.Server.Attribution;
using OpenLoRA.Server.Billing;
using OpenLoRA.Server.Chain;
using OpenLoRA.Server.Dashboard;
using OpenLoRA.Server.Endpoints.Accounts;
using OpenLoRA.Server.Endpoints.Attribution;
using OpenLoRA.Server.Hosting;

// Content root is the current directory: run from the repository root, appsettings.json and the relative model
// paths in it resolve there. Everything can be overridden with environment variables or `--Key=value` arguments.
var builder = WebApplication.CreateBuilder(args);

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
app.UseOpenLoRAServer();
app.MapAttributionEndpoints();
AccountEndpoints.Map(app);
app.MapOpenLoRADashboard();
await app.RunAsync();
