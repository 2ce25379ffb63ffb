using System.Numerics;
using OpenLoRA.Server.Billing;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>What a response has done so far, for charging it whichever way it ends.</summary>
internal sealed class ResponseOutcome(BillingTicket? ticket)
{
    public BillingTicket? Ticket { get; } = ticket;

    /// <summary>Completion tokens the client has been sent (streamed chunks written).</summary>
    public int DeliveredTokens { get; set; }

    /// <summary>
    /// The response ended with an error that is never charged (non-finite logits: the output was not a model's
    /// output), whatever was delivered before it; its reservation is released.
    /// </summary>
    public bool NotBillable { get; set; }

    /// <summary>The complete response's charge is written (or billing is off and there is nothing to write).</summary>
    public bool Settled { get; set; }

    /// <summary>The charge in base units, when billing is on and the response completed.</summary>
    public BigInteger? Cost { get; set; }
}
