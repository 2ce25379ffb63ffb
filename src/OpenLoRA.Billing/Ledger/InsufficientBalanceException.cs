using System.Globalization;
using System.Numerics;

namespace OpenLoRA.Billing.Ledger;

/// <summary>The account cannot cover the reservation (the server answers 402 with <see cref="Required"/>).</summary>
public sealed class InsufficientBalanceException : Exception
{
    public InsufficientBalanceException(string address, BigInteger required, BigInteger available)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"Account {address} needs {required} OPEN base units but has {available} available."))
    {
        Address = address;
        Required = required;
        Available = available;
    }

    public string Address { get; }

    /// <summary>The amount the request needs reserved.</summary>
    public BigInteger Required { get; }

    /// <summary>The account's available balance when it was refused.</summary>
    public BigInteger Available { get; }

    /// <summary>How much more the account must deposit.</summary>
    public BigInteger Shortfall => Required - Available;
}
