namespace OpenLoRA.Chain.Health;

/// <summary>The components that reconcile local state with the chain (the <c>component</c> label and /health name).</summary>
public static class ChainComponents
{
    public const string Submitter = "submitter";

    public const string Settlement = "settlement";

    public const string Deposits = "deposits";
}
