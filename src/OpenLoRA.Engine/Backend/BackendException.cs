namespace OpenLoRA.Engine.Backend;

/// <summary>A backend call failed without harming the process (a refused adapter, a failed decode).</summary>
public sealed class BackendException(string message) : Exception(message);
