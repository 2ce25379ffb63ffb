using System.Text;
using Microsoft.Extensions.Configuration;
using OpenLoRA.Server.Hosting;

namespace OpenLoRA.IntegrationTests.Operations;

public sealed class SecretSettingsTests
{
    [Fact]
    public void EnsureNotInFiles_SigningKeyInAJsonFile_ThrowsNamingTheKeyAndTheEnvironmentVariable()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("openlora-secrets-").FullName, "appsettings.json");
        File.WriteAllText(file, """{"OpenLoRA":{"Attribution":{"SignerPrivateKey":"0x01"}}}""", Encoding.UTF8);
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();

            var error = Assert.Throws<InvalidOperationException>(() => SecretSettings.EnsureNotInFiles(configuration));

            Assert.Contains("OpenLoRA:Attribution:SignerPrivateKey", error.Message, StringComparison.Ordinal);
            Assert.Contains("OpenLoRA__Attribution__SignerPrivateKey", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    public void EnsureNotInFiles_SigningKeyFromTheEnvironmentOverFile_Passes()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("openlora-secrets-").FullName, "appsettings.json");
        File.WriteAllText(file, """{"OpenLoRA":{"Attribution":{"BatchMaxTraces":2}}}""", Encoding.UTF8);
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(file)
                .AddInMemoryCollection([new("OpenLoRA:Attribution:SignerPrivateKey", "0x01")])
                .Build();

            SecretSettings.EnsureNotInFiles(configuration);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}
