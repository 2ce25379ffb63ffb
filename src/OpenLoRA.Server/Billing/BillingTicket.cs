using OpenLoRA.Billing.Pricing;

namespace OpenLoRA.Server.Billing;

/// <summary>A request's open reservation: who pays, at which prices, under which request id.</summary>
internal sealed record BillingTicket(string Account, string RequestId, PriceQuote Quote);
