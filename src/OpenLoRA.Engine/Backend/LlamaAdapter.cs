using LLama.Native;

namespace OpenLoRA.Engine.Backend;

internal sealed class LlamaAdapter(LoraAdapter native, string path) : IBackendAdapter
{
    public LoraAdapter Native { get; } = native;

    public string Path { get; } = path;
}
