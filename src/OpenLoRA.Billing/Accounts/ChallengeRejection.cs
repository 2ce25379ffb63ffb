namespace OpenLoRA.Billing.Accounts;

/// <summary>Why a challenge could not be redeemed.</summary>
public enum ChallengeRejection
{
    /// <summary>No challenge with this id was issued for this address.</summary>
    Unknown,

    /// <summary>The challenge's lifetime has passed.</summary>
    Expired,

    /// <summary>The challenge was already redeemed (single use).</summary>
    Used,

    /// <summary>The signature is malformed or does not recover the challenge's address.</summary>
    BadSignature,
}
