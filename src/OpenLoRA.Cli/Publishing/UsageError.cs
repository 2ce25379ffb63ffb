namespace OpenLoRA.Cli.Publishing;

internal static class UsageError
{
    /// <summary>Writes <paramref name="message"/> to stderr; returns exit code 2 (the command was given wrong input).</summary>
    public static int Report(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
