using System.CommandLine;

namespace OpenLoRA.Cli.Publishing;

/// <summary>The options every command that talks to a server as a publisher shares.</summary>
internal static class PublisherOptions
{
    public static Option<string> Server() => new("--server")
    {
        Description = "Base URL of the OpenLoRA server",
        DefaultValueFactory = _ => "http://127.0.0.1:8080",
    };

    public static Option<string?> Key() => new("--key")
    {
        Description = $"Publisher private key (hex); defaults to ${PublisherSigner.KeyVariable}",
    };
}
