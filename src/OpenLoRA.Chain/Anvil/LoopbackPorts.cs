using System.Net;
using System.Net.Sockets;

namespace OpenLoRA.Chain.Anvil;

internal static class LoopbackPorts
{
    /// <summary>
    /// Asks the OS for a free loopback port by binding port 0, then releases it. Another process can take it
    /// before anvil binds, which is why <see cref="AnvilProcess"/> retries with a new port when anvil exits early.
    /// </summary>
    public static int FindFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
