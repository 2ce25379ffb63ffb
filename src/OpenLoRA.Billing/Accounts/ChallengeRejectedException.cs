namespace OpenLoRA.Billing.Accounts;

/// <summary>A challenge redemption was refused; <see cref="Reason"/> says why (the server maps every reason to 401).</summary>
public sealed class ChallengeRejectedException : Exception
{
    public ChallengeRejectedException(ChallengeRejection reason, string challengeId)
        : base($"Challenge '{challengeId}' was rejected: {reason}.")
    {
        Reason = reason;
        ChallengeId = challengeId;
    }

    public ChallengeRejection Reason { get; }

    public string ChallengeId { get; }
}
