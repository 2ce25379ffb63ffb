using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// A backend adapter with nothing loaded: the step planner only groups sequences by adapter reference, so planning
/// benchmarks need distinct instances, not weights.
/// </summary>
internal sealed class StubBackendAdapter(string path) : IBackendAdapter
{
    public string Path { get; } = path;
}
