namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>The findings of one <see cref="LedgerAudit"/> run, by class; each list is empty when that class is clean.</summary>
internal sealed class LedgerAuditReport
{
    public List<string> UnpaidComplete { get; } = [];

    public List<string> ChargedWithoutContent { get; } = [];

    public List<string> ChargesWithoutTraces { get; } = [];

    public List<string> Books { get; } = [];

    public bool Clean => UnpaidComplete.Count == 0 && ChargedWithoutContent.Count == 0 && ChargesWithoutTraces.Count == 0 && Books.Count == 0;

    /// <summary>Fails with every finding listed, by class.</summary>
    public void AssertClean(string context = "")
    {
        Assert.True(Clean, $"Ledger audit {context} failed:{Environment.NewLine}" + string.Join(Environment.NewLine, new[]
        {
            Section("unpaid complete responses", UnpaidComplete),
            Section("charges for responses with no content delivered", ChargedWithoutContent),
            Section("charges without traces", ChargesWithoutTraces),
            Section("books", Books),
        }.Where(s => s.Length > 0)));
    }

    private static string Section(string name, List<string> findings) =>
        findings.Count == 0 ? "" : $"{findings.Count} {name}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", findings.Take(20));
}
