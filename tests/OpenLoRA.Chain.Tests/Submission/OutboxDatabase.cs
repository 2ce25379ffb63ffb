namespace OpenLoRA.Chain.Tests.Submission;

/// <summary>A throw-away SQLite outbox file; pooling off so the file is closed when each connection is.</summary>
internal sealed class OutboxDatabase : IDisposable
{
    private readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("openlora-outbox-");

    public string ConnectionString => $"Data Source={Path.Combine(_directory.FullName, "outbox.db")};Pooling=False";

    public string Directory => _directory.FullName;

    public void Dispose() => _directory.Delete(recursive: true);
}
