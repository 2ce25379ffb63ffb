namespace OpenLoRA.Engine.Models;

/// <summary>A base model the server keeps in memory.</summary>
public sealed record BaseModelInfo(string Name, string Path, string Sha256, int ContextSize, DateTimeOffset Created)
{
    /// <summary>
    /// The highest adapter rank the model's step backend can run: the ggml backend's <c>LoraSlotRank</c> (its LoRA
    /// slots have one rank), null on LLamaSharp, which takes any rank. Adapters above it are refused at upload and
    /// not served from the folder.
    /// </summary>
    public int? MaxAdapterRank { get; init; }
}
