namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>The parts of an upload form: text fields in memory, files already on disk in the upload's workspace.</summary>
internal sealed class UploadForm
{
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, UploadedFile> Files { get; } = new(StringComparer.Ordinal);

    public string? Field(string name) => Fields.GetValueOrDefault(name);

    public UploadedFile? File(string name) => Files.GetValueOrDefault(name);
}
