using System.Collections.Concurrent;
using System.Text.Json;

namespace OpenLoRA.Chain.Contracts;

/// <summary>
/// The compiled contracts embedded in this assembly. They are produced by Contracts/compile.mjs and committed, so
/// deploying or talking to the contracts needs neither node nor solc at run time.
/// </summary>
public static class ContractArtifacts
{
    public const string AttributionRegistryName = "AttributionRegistry";
    public const string InferenceEscrowName = "InferenceEscrow";
    public const string DevOpenTokenName = "DevOpenToken";

    private static readonly ConcurrentDictionary<string, ContractArtifact> _cache = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = [AttributionRegistryName, InferenceEscrowName, DevOpenTokenName];

    public static ContractArtifact AttributionRegistry => Get(AttributionRegistryName);

    public static ContractArtifact InferenceEscrow => Get(InferenceEscrowName);

    public static ContractArtifact DevOpenToken => Get(DevOpenTokenName);

    public static ContractArtifact Get(string name) => _cache.GetOrAdd(name, Load);

    private static ContractArtifact Load(string name)
    {
        var resource = $"OpenLoRA.Chain.Contracts.{name}.json";
        using var stream = typeof(ContractArtifacts).Assembly.GetManifestResourceStream(resource)
            ?? throw new ArgumentException($"No embedded contract artifact '{resource}'.", nameof(name));
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        return new ContractArtifact(
            root.GetProperty("contractName").GetString()!,
            root.GetProperty("abi").GetRawText(),
            root.GetProperty("bytecode").GetString()!,
            root.GetProperty("sourceHash").GetString()!);
    }
}
