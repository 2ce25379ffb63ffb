namespace OpenLoRA.IntegrationTests.Operations;

/// <summary>The metric table of docs/METRICS.md, read from the repository.</summary>
internal static class MetricsCatalog
{
    public sealed record Row(string Name, string Type, IReadOnlyList<string> Labels, string Exported);

    public static IReadOnlyList<Row> Read()
    {
        var rows = new List<Row>();
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot(), "docs", "METRICS.md")))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);

            // | `name` | type | labels | meaning | exported |  → six separators, the name in backticks.
            if (cells.Length != 7 || !cells[1].StartsWith('`'))
            {
                continue;
            }

            var labels = cells[3].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Trim('`'))
                .ToList();
            rows.Add(new Row(cells[1].Trim('`'), cells[2], labels, cells[5]));
        }

        return rows;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OpenLoRA.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("OpenLoRA.sln was not found above the test output directory.");
    }
}
