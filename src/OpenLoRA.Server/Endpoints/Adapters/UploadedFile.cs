namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>A file part streamed to disk: where it is, its lower-case hex sha256 and its length.</summary>
internal sealed record UploadedFile(string Path, string Sha256, long Length);
