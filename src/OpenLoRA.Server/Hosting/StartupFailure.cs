using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using OpenLoRA.Chain.Anvil;

namespace OpenLoRA.Server.Hosting;

/// <summary>
/// What an operator sees when the server cannot start: one line on stderr naming the cause and the fix, exit code
/// 1, no stack trace (set <see cref="StackTraceVariable"/> to 1 to get the full exception as well).
/// </summary>
internal static class StartupFailure
{
    public const string StackTraceVariable = "OPENLORA_STACK_TRACES";

    public const int ExitCode = 1;

    public static int Report(Exception exception, TextWriter error)
    {
        error.WriteLine(Describe(exception));
        if (Environment.GetEnvironmentVariable(StackTraceVariable) == "1")
        {
            error.WriteLine(exception);
        }

        return ExitCode;
    }

    public static string Describe(Exception exception) => Unwrap(exception) switch
    {
        PortInUseException port =>
            $"openlora: cannot listen on {port.Address}: it is already in use by another program. Stop that program, or choose another address with --urls http://127.0.0.1:<port>.",
        IOException { InnerException: AddressInUseException } bind =>
            $"openlora: {bind.Message} Stop that program, or choose another address with --urls http://127.0.0.1:<port>.",
        AnvilNotInstalledException anvil =>
            $"openlora: the local chain cannot start: {anvil.Message} Or point OpenLoRA:Chain:AnvilPath at an anvil, or run without a chain: --OpenLoRA:Chain:Mode=off.",
        OptionsValidationException options =>
            $"openlora: invalid configuration: {string.Join(" ", options.Failures)} Fix it in appsettings.json, an environment variable (OpenLoRA__Section__Key) or an argument (--OpenLoRA:Section:Key=value).",
        InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            $"openlora: invalid configuration: {message} Fix it in appsettings.json, an environment variable or an argument.",
        var other =>
            $"openlora: start-up failed: {Messages(other)} (set {StackTraceVariable}=1 for the full exception).",
    };

    /// <summary>Hosting wraps a failed hosted service; the cause is the one inside.</summary>
    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : exception;

    private static string Messages(Exception exception)
    {
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message.ReplaceLineEndings(" "));
        }

        return string.Join(": ", messages.Distinct(StringComparer.Ordinal));
    }
}
