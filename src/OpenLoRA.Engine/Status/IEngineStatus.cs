namespace OpenLoRA.Engine.Status;

/// <summary>
/// A read-only view of each base model's load, for exporters such as the vLLM-compatible gauges a Kubernetes
/// endpoint picker scrapes. Thread-safe; every call returns a fresh snapshot.
/// </summary>
public interface IEngineStatus
{
    IReadOnlyList<ModelStatus> Snapshot();
}
