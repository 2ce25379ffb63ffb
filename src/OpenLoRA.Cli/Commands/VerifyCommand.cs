using System.CommandLine;
using OpenLoRA.Cli.Verification;
using Spectre.Console;

namespace OpenLoRA.Cli.Commands;

/// <summary>`openlora verify &lt;trace-id&gt; --server &lt;url&gt;`: checks a served attribution trace end to end (see <see cref="VerifyRunner"/>).</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var traceId = new Argument<string>("trace-id") { Description = "The trace to verify (32 hex characters)" };
        var server = new Option<string>("--server") { Description = "Base URL of the OpenLoRA server that served the trace", Required = true };
        var datanet = new Option<string?>("--datanet") { Description = "The adapter's Datanet JSONL: rebuild the index and re-run attribution (needs --model)" };
        var model = new Option<string?>("--model") { Description = "The base model GGUF whose tokenizer indexes the Datanet" };
        var signer = new Option<string?>("--signer") { Description = "The attribution signer address you trust (0x…); without it the server's claim is used" };
        var verify = new Command("verify", "Verify an attribution trace: hash, signature, tokens, Merkle proof and (with --datanet) the attribution itself; exit 1 if a check fails, 2 if it cannot be verified")
        {
            traceId, server, datanet, model, signer,
        };
        verify.SetAction((result, cancellationToken) => VerifyRunner.RunAsync(
            new VerifyArguments(
                result.GetValue(traceId)!,
                result.GetValue(server)!,
                result.GetValue(datanet),
                result.GetValue(model),
                result.GetValue(signer)),
            AnsiConsole.Console,
            Console.Error,
            cancellationToken));
        return verify;
    }
}
