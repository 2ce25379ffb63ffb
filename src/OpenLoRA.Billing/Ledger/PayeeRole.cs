namespace OpenLoRA.Billing.Ledger;

/// <summary>Why a payee receives part of a charge.</summary>
public enum PayeeRole
{
    Publisher,
    Contributor,
    Protocol,
}
