using OpenLoRA.Engine.Adapters.Publishing;

namespace OpenLoRA.Engine.Tests.Adapters.Publishing;

public sealed class DirectorySyncTests
{
    [Fact]
    public void TryFlush_ExistingDirectory_SucceedsOnLinuxAndMacOS()
    {
        var directory = Directory.CreateTempSubdirectory("openlora-dirsync-").FullName;
        try
        {
            Assert.Equal(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), DirectorySync.TryFlush(directory));
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Fact]
    public void TryFlush_MissingDirectory_ReturnsFalse()
    {
        Assert.False(DirectorySync.TryFlush(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));
    }
}
