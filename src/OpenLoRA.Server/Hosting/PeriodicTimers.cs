namespace OpenLoRA.Server.Hosting;

/// <summary>Waiting on a <see cref="PeriodicTimer"/> in a background loop that ends when the host stops.</summary>
internal static class PeriodicTimers
{
    /// <summary>True at the next tick; false when <paramref name="stoppingToken"/> fires instead.</summary>
    public static async Task<bool> NextTickAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
