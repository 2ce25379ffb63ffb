namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>A chain fault server of its own for the reset test: a reset leaves deposits the ledger cannot get back,
/// so no other test may share its ledger.</summary>
public sealed class ChainResetServerFixture : ChainFaultServerFixture;
