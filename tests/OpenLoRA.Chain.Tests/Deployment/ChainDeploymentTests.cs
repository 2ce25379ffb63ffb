using OpenLoRA.Chain.Deployment;

namespace OpenLoRA.Chain.Tests.Deployment;

[Collection(AnvilCollection.Name)]
public sealed class ChainDeploymentTests(AnvilFixture fixture)
{
    [Fact]
    public async Task SaveAsync_ThenTryLoadAsync_RoundTrips()
    {
        var deployment = await fixture.DeployAsync();
        var directory = Directory.CreateTempSubdirectory("openlora-deployment-");
        try
        {
            await deployment.SaveAsync(directory.FullName);

            Assert.Equal(deployment, await ChainDeployment.TryLoadAsync(directory.FullName));
            Assert.Equal(31337UL, deployment.ChainId);
            Assert.True(deployment.DeployBlock > 0);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task TryLoadAsync_NoFile_ReturnsNull()
    {
        var directory = Directory.CreateTempSubdirectory("openlora-deployment-");
        try
        {
            Assert.Null(await ChainDeployment.TryLoadAsync(directory.FullName));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
