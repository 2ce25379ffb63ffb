namespace OpenLoRA.IntegrationTests.Infrastructure.Fakes;

internal enum FakeGenerationMode
{
    Normal,
    FailMidStream,
    Endless,
}
