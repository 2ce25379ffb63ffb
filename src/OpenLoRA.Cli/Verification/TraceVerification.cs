using System.Text;
using Nethereum.Util;
using OpenLoRA.Attribution.Traces;

namespace OpenLoRA.Cli.Verification;

/// <summary>
/// Fetches one trace and runs every check on it. Arguments and transport problems throw
/// <see cref="VerifyException"/>; everything about the trace itself becomes a row, so one bad field does not hide the others.
/// </summary>
internal static class TraceVerification
{
    public static async Task<VerificationReport> VerifyAsync(VerifyArguments arguments, CancellationToken cancellationToken)
    {
        var (traceId, server) = Validate(arguments);
        var fetched = await TraceFetcher.FetchAsync(server, traceId, cancellationToken);

        var computedHash = Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(fetched.Canonical));
        AttributionTrace? trace = null;
        string? readError = null;
        try
        {
            trace = CanonicalTraceReader.Read(fetched.Canonical);
        }
        catch (FormatException ex)
        {
            readError = ex.Message;
        }

        var checks = new List<CheckResult>
        {
            TraceChecks.Hash(fetched, computedHash),
            TraceChecks.Canonical(fetched.Canonical, trace, readError),
            TraceChecks.TraceId(traceId, fetched, trace),
            TraceChecks.Signature(fetched, computedHash, arguments.Signer),
            TraceChecks.Tokens(fetched, trace),
            TraceChecks.Merkle(fetched.Batch, computedHash),
        };
        checks.AddRange(AttributionCheck.Run(arguments.Datanet, arguments.Model, trace, fetched.CompletionTokenIds));
        checks.Add(TraceChecks.Chain(fetched.Chain));
        return new VerificationReport(fetched, checks);
    }

    private static (string TraceId, Uri Server) Validate(VerifyArguments arguments)
    {
        var traceId = arguments.TraceId.ToLowerInvariant();
        if (!TraceIds.IsValid(traceId))
        {
            throw new VerifyException($"'{arguments.TraceId}' is not a trace id (32 hex characters)");
        }

        if (!Uri.TryCreate(arguments.Server.TrimEnd('/') + "/", UriKind.Absolute, out var server)
            || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
        {
            throw new VerifyException($"--server '{arguments.Server}' is not an http(s) URL");
        }

        if (arguments.Signer is { } signer && !TraceChecks.IsAddress(signer))
        {
            throw new VerifyException($"--signer '{signer}' is not an address (0x + 40 hex, valid EIP-55 checksum if mixed case)");
        }

        if ((arguments.Datanet is null) != (arguments.Model is null))
        {
            throw new VerifyException("--datanet and --model go together: the Datanet is re-tokenized with the base model");
        }

        if (arguments.Datanet is { } datanet && !File.Exists(datanet))
        {
            throw new VerifyException($"no such file: {datanet}");
        }

        if (arguments.Model is { } model && !File.Exists(model))
        {
            throw new VerifyException($"no such file: {model}");
        }

        return (traceId, server);
    }
}
