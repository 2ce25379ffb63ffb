using Microsoft.Extensions.Hosting;
using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing;

/// <summary>Creates or migrates the billing tables when the host starts, so a broken database stops the server at
/// start rather than failing the first paid request.</summary>
internal sealed class BillingSchemaInitializer : IHostedService
{
    private readonly BillingDatabase _database;

    public BillingSchemaInitializer(BillingDatabase database)
    {
        _database = database;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _database.EnsureSchema();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
