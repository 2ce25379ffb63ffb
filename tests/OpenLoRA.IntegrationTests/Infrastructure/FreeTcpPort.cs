using System.Net;
using System.Net.Sockets;

namespace OpenLoRA.IntegrationTests.Infrastructure;

internal static class FreeTcpPort
{
    /// <summary>A loopback port the OS just handed out. Another process could take it before the server binds; the fixture retries then.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
