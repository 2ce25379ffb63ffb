namespace OpenLoRA.Gguf;

/// <summary>
/// The only exception <see cref="GgufReader"/> throws for malformed input. Its message names what is wrong and
/// where, because it is shown to whoever uploaded the file.
/// </summary>
public sealed class GgufFormatException : Exception
{
    public GgufFormatException(string message)
        : base(message)
    {
    }

    public GgufFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
