using OpenLoRA.Engine;
using OpenLoRA.Server.Attribution;
using OpenLoRA.Server.Endpoints.Attribution;
using OpenLoRA.Server.Hosting;

// Content root is the current directory: run from the repository root, appsettings.json and the relative model
// paths in it resolve there. Everything can be overridden with environment variables or `--Key=value` arguments.
var builder = WebApplication.CreateBuilder(args);
builder.AddOpenLoRAServer();
builder.Services.AddOpenLoRAEngine(builder.Configuration);
builder.AddOpenLoRAAttribution();

var app = builder.Build();
app.UseOpenLoRAServer();
app.MapAttributionEndpoints();
app.Run();
