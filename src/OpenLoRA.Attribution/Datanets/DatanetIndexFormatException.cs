namespace OpenLoRA.Attribution.Datanets;

/// <summary>An index file is truncated, corrupted, of an unknown version, or does not match its root.</summary>
public sealed class DatanetIndexFormatException : IOException
{
    public DatanetIndexFormatException(string path, string message)
        : base($"Datanet index '{path}': {message}")
    {
    }
}
