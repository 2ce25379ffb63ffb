using System.CommandLine;
using OpenLoRA.Cli.Publishing;
using OpenLoRA.Engine.Adapters.Publishing;

namespace OpenLoRA.Cli.Commands;

/// <summary>`openlora adapters delete`: signs the canonical delete message and sends <c>DELETE /v1/adapters/{id}</c>.</summary>
internal static class AdaptersDeleteCommand
{
    public static Command Create()
    {
        var server = PublisherOptions.Server();
        var key = PublisherOptions.Key();
        var id = new Argument<string>("id") { Description = "The adapter's sha256 or name" };
        var delete = new Command("delete", "Delete an adapter you published") { server, key, id };
        delete.SetAction((result, cancellationToken) =>
            RunAsync(result.GetValue(server)!, result.GetValue(key), result.GetValue(id)!, cancellationToken));
        return delete;
    }

    private static async Task<int> RunAsync(string server, string? key, string id, CancellationToken cancellationToken)
    {
        if (!PublisherSigner.TryCreate(key, out var signer, out var keyError))
        {
            return UsageError.Report(keyError);
        }

        using var http = ServerReplies.Client(server);
        var (identity, chainError) = await ServerChain.IdentityAsync(http, signer, cancellationToken);
        if (identity is null)
        {
            return UsageError.Report(chainError!);
        }

        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/v1/adapters/{Uri.EscapeDataString(id)}");
        request.Headers.Add("OpenLoRA-Signature", signer.Sign(PublisherMessages.Delete(identity, id, timestamp)));
        request.Headers.Add("OpenLoRA-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("OpenLoRA-Publisher", identity.Address);
        using var response = await http.SendAsync(request, cancellationToken);
        return await ServerReplies.PrintAsync(response, cancellationToken);
    }
}
