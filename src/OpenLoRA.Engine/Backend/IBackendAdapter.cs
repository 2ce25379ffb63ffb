namespace OpenLoRA.Engine.Backend;

/// <summary>An adapter loaded into a backend; opaque to the scheduler.</summary>
internal interface IBackendAdapter
{
    string Path { get; }
}
