using System.Net;
using System.Net.Sockets;

namespace OpenLoRA.Server.Hosting;

/// <summary>
/// Binds each configured <c>Urls</c> address once and lets it go, before anything else starts (anvil, the models),
/// so a port in use is one clear line at once instead of Kestrel's failure after the whole start-up. Kestrel still
/// binds for real later; if another program takes the port in between, that failure is reported the same way.
/// </summary>
internal static class ListenPreflight
{
    /// <exception cref="PortInUseException">When an address is taken.</exception>
    public static void Check(IConfiguration configuration)
    {
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            return;
        }

        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !IPAddress.TryParse(uri.Host, out var address))
            {
                // Host names and wildcards ("localhost", "*", "+") bind several addresses; Kestrel reports those.
                continue;
            }

            try
            {
                using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(address, uri.Port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new PortInUseException(url, ex);
            }
        }
    }
}
