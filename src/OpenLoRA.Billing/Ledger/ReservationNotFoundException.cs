namespace OpenLoRA.Billing.Ledger;

/// <summary>No reservation exists for the request id (it was never reserved).</summary>
public sealed class ReservationNotFoundException : Exception
{
    public ReservationNotFoundException(string requestId)
        : base($"No reservation exists for request '{requestId}'.")
    {
        RequestId = requestId;
    }

    public string RequestId { get; }
}
