using System.Numerics;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Billing;

/// <summary>
/// Charging inference in OPEN: the caller's account from its API key, a reservation of the worst case at admission,
/// the actual charge (durable, split between payees) before the final chunk, and the documented rule for requests
/// that end early.
/// </summary>
internal interface IInferenceBilling
{
    bool Enabled { get; }

    /// <summary>The paying account (lower-case address), or null when billing is off. 401 when the key is missing or unknown.</summary>
    Task<string?> AuthenticateAsync(HttpContext context);

    /// <summary>
    /// Reserves the price of the prompt plus <paramref name="maxTokens"/> (the caller passes what the context can
    /// actually produce, <see cref="OpenLoRA.Engine.Scheduling.CompletionLimit"/>); 402 <c>insufficient_quota</c> when the balance is short.
    /// </summary>
    Task<BillingTicket?> ReserveAsync(string? account, ModelTarget target, int promptTokens, int maxTokens, CancellationToken cancellationToken);

    /// <summary>
    /// The charge for a complete response: replaces the reservation, accrues the split and writes
    /// <paramref name="companion"/>'s record (the trace), in one transaction. Throws when it could not be made durable;
    /// then nothing of it was written.
    /// </summary>
    Task<BigInteger> SettleAsync(BillingTicket ticket, int promptTokens, int completionTokens, string? traceId, SplitRecipients split, IChargeCompanion? companion);

    /// <summary>
    /// A request that ended early (client gone, deadline, engine failure): the prompt plus the completion tokens the
    /// client actually received are charged; a request that delivered no token is not charged at all.
    /// </summary>
    Task SettleEarlyEndAsync(BillingTicket ticket, int promptTokens, int deliveredCompletionTokens, string? traceId, SplitRecipients split);

    /// <summary>The price quote for a target, for traces when billing is off too.</summary>
    BigInteger Price(ModelTarget target, int promptTokens, int completionTokens);

    /// <summary>The payees of a response to <paramref name="target"/>: its publisher (the protocol for operator adapters and base models).</summary>
    string PublisherOf(ModelTarget target);
}
