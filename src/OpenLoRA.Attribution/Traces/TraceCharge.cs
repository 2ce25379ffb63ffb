namespace OpenLoRA.Attribution.Traces;

/// <summary>What the inference cost, filled by billing before the trace is signed.</summary>
/// <param name="Amount">Decimal integer in the currency's base units (OPEN has 18 decimals), no sign, no leading zeros.</param>
/// <param name="Currency">Token symbol, e.g. "OPEN".</param>
public sealed record TraceCharge(string Amount, string Currency);
