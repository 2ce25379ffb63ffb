namespace OpenLoRA.Billing.Ledger;

/// <summary>How an open reservation is resolved after a crash.</summary>
public enum ResolutionKind
{
    /// <summary>Nothing was delivered: the reservation is released, nothing is charged.</summary>
    Release,

    /// <summary>Tokens were delivered: they are priced by the reservation's stored quote and charged.</summary>
    Delivered,

    /// <summary>The caller knows the charge itself (a reservation made from a raw amount has no quote).</summary>
    Charge,
}
