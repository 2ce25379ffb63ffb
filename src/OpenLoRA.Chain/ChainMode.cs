namespace OpenLoRA.Chain;

/// <summary>Bound from "off", "local" or "remote" (case-insensitive).</summary>
public enum ChainMode
{
    /// <summary>No chain: nothing is committed or settled on-chain.</summary>
    Off,

    /// <summary>A development node (anvil) on this machine; the deployment can come from the data directory and the
    /// submitter falls back to anvil's first dev key.</summary>
    Local,

    /// <summary>A real network: RPC URL, chain id, addresses and a submitter key must all be configured.</summary>
    Remote,
}
