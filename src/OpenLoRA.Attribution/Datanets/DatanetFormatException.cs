namespace OpenLoRA.Attribution.Datanets;

/// <summary>A Datanet JSONL upload was rejected; <see cref="LineNumber"/> is 1-based (0 when not tied to a line).</summary>
public sealed class DatanetFormatException : FormatException
{
    public DatanetFormatException(long lineNumber, string message)
        : base(lineNumber > 0 ? $"Datanet line {lineNumber}: {message}" : $"Datanet: {message}")
    {
        LineNumber = lineNumber;
    }

    public long LineNumber { get; }
}
