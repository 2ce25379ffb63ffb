namespace OpenLoRA.Cli.Publishing;

/// <summary>A file to send as the form part <paramref name="PartName"/>.</summary>
internal sealed record UploadPart(string PartName, string Path);
