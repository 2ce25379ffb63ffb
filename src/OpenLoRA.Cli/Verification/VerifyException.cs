namespace OpenLoRA.Cli.Verification;

/// <summary>
/// Verification could not run at all (bad arguments, server unreachable or refusing, a reply that is not the trace
/// contract, an unreadable Datanet or model). The runner prints <see cref="Exception.Message"/> and exits 2; it is
/// distinct from a check that ran and failed, which exits 1.
/// </summary>
internal sealed class VerifyException(string message) : Exception(message);
