namespace OpenLoRA.Engine.Status;

/// <summary>Where the host gets the engine's <see cref="IEngineStatus"/> (register it as a singleton).</summary>
public static class EngineStatus
{
    /// <summary>Every base model this process serves.</summary>
    public static IEngineStatus Process => EngineStatusBoard.Shared;
}
