using System.Collections.Frozen;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.Contracts;
using OpenLoRA.Chain.Contracts;

namespace OpenLoRA.Chain.Clients;

/// <summary>
/// Turns Nethereum's revert exceptions into <see cref="ContractRevertException"/> with the custom error's name,
/// looked up by selector across all OpenLoRA contract ABIs (inherited OpenZeppelin errors included), so callers
/// can branch on "UnexpectedBatchId" rather than parse hex.
/// </summary>
internal static class RevertDecoder
{
    private static readonly Lazy<FrozenDictionary<string, ErrorABI>> _errors = new(BuildErrorTable);

    public static ContractRevertException Decode(SmartContractCustomErrorRevertException exception)
    {
        var data = exception.ExceptionEncodedData ?? "";
        var selector = data.Length >= 10 ? data[..10].ToLowerInvariant() : data.ToLowerInvariant();
        if (_errors.Value.TryGetValue(selector, out var error))
        {
            var arguments = exception.DecodeErrorToDefault(error).Select(p => p.Result).ToList();
            return new ContractRevertException(error.Name, arguments, data, exception);
        }

        return new ContractRevertException("Unknown", [], data, exception);
    }

    public static ContractRevertException Decode(SmartContractRevertException exception) =>
        new("Error", [exception.RevertMessage], exception.EncodedData, exception);

    private static FrozenDictionary<string, ErrorABI> BuildErrorTable()
    {
        var table = new Dictionary<string, ErrorABI>(StringComparer.Ordinal);
        var deserialiser = new ABIJsonDeserialiser();
        foreach (var name in ContractArtifacts.Names)
        {
            var abi = deserialiser.DeserialiseContract(ContractArtifacts.Get(name).Abi);
            foreach (var error in abi.Errors)
            {
                table.TryAdd("0x" + error.Sha3Signature.ToLowerInvariant(), error);
            }
        }

        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
