namespace OpenLoRA.Chain.Anvil;

/// <summary>Finds the folder holding the root package.json (and so node_modules) from wherever code runs.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        // Tests run from bin/<config>/net10.0 and the server from its content root; both sit below the checkout.
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            if (TryFindFrom(start) is { } root)
            {
                return root;
            }
        }

        throw new DirectoryNotFoundException(
            $"No package.json above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}'; set the repository root explicitly.");
    }

    public static string? TryFindFrom(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
