using System.Numerics;

namespace OpenLoRA.Chain.Clients;

/// <summary>A user's requested withdrawal; payable from <see cref="AvailableAt"/> (chain time, unix seconds).</summary>
public sealed record PendingWithdrawal(BigInteger Amount, ulong AvailableAt);
