using System.Numerics;

namespace OpenLoRA.Chain.Clients;

/// <summary>An address and a token amount in base units (OPEN has 18 decimals).</summary>
public readonly record struct AccountAmount(string Address, BigInteger Amount);
