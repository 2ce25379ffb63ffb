namespace OpenLoRA.Chain.Clients;

/// <summary>
/// A contract call or transaction reverted. <see cref="ErrorName"/> is the Solidity custom error (for example
/// "UnexpectedBatchId") decoded against the OpenLoRA contracts' ABIs, "Error" for a require message, or
/// "Unknown" when the revert data matches no known error.
/// </summary>
public sealed class ContractRevertException : Exception
{
    public ContractRevertException(string errorName, IReadOnlyList<object?> arguments, string? encodedData, Exception? inner)
        : base(FormatMessage(errorName, arguments), inner)
    {
        ErrorName = errorName;
        Arguments = arguments;
        EncodedData = encodedData;
    }

    public string ErrorName { get; }

    public IReadOnlyList<object?> Arguments { get; }

    /// <summary>The raw revert data (0x-prefixed hex) when the node returned it.</summary>
    public string? EncodedData { get; }

    private static string FormatMessage(string errorName, IReadOnlyList<object?> arguments) =>
        $"Contract reverted: {errorName}({string.Join(", ", arguments.Select(FormatArgument))})";

    private static string FormatArgument(object? value) => value switch
    {
        byte[] bytes => "0x" + Convert.ToHexStringLower(bytes),
        null => "null",
        _ => value.ToString() ?? "",
    };
}
