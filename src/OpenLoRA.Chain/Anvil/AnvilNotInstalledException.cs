namespace OpenLoRA.Chain.Anvil;

/// <summary>The local chain cannot start because there is no anvil executable where it was looked for.</summary>
public sealed class AnvilNotInstalledException : FileNotFoundException
{
    public AnvilNotInstalledException(string message, string? path)
        : base(message, path)
    {
    }
}
