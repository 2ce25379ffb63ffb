namespace OpenLoRA.Server.Hosting;

/// <summary>An address the server is configured to listen on is already taken.</summary>
internal sealed class PortInUseException(string address, Exception inner)
    : IOException($"{address} is already in use by another program.", inner)
{
    public string Address { get; } = address;
}
