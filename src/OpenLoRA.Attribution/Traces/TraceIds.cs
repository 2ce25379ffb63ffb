using System.Security.Cryptography;

namespace OpenLoRA.Attribution.Traces;

/// <summary>Trace ids: 128 random bits as 32 lowercase hex chars; unguessable and collision-free in practice without coordination.</summary>
public static class TraceIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsValid(string? id) =>
        id is { Length: 32 } && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
