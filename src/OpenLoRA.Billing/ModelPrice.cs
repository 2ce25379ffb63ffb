namespace OpenLoRA.Billing;

/// <summary>A base model's price in OPEN base units (decimal digits, 18 decimals: "1000000000000000" = 0.001 OPEN)
/// per 1,000 tokens. Strings because configuration cannot carry integers above 2^64 exactly.</summary>
public sealed class ModelPrice
{
    public string InputPer1K { get; set; } = "0";

    public string OutputPer1K { get; set; } = "0";
}
