using System.Text;
using LLama.Native;

namespace OpenLoRA.Engine.Backend;

/// <summary>Base model weights loaded once through LLamaSharp, and its tokenizer.</summary>
internal sealed class LlamaModel : ITokenizer, IDisposable
{
    private readonly SafeLlamaModelHandle _handle;

    private LlamaModel(SafeLlamaModelHandle handle)
    {
        _handle = handle;
        VocabSize = handle.Vocab.Count;
        ChatTemplate = ReadMetadata(handle, "tokenizer.chat_template");
        AddBos = handle.Vocab.ShouldAddBOS;
    }

    public SafeLlamaModelHandle Handle => _handle;

    public int VocabSize { get; }

    public string? ChatTemplate { get; }

    public bool AddBos { get; }

    /// <param name="vocabularyOnly">Only the tokenizer and metadata (another backend holds the weights).</param>
    public static LlamaModel Load(string path, int gpuLayers = 0, bool vocabularyOnly = false)
    {
        LlamaRuntime.EnsureInitialized();
        var parameters = LLamaModelParams.Default();
        parameters.n_gpu_layers = gpuLayers;
        parameters.vocab_only = vocabularyOnly;
        SafeLlamaModelHandle handle;
        try
        {
            handle = SafeLlamaModelHandle.LoadFromFile(path, parameters);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new BackendException($"llama.cpp could not load model '{path}': {ex.Message}");
        }

        return new LlamaModel(handle);
    }

    public int[] Tokenize(string text, bool addBos, bool parseSpecial)
    {
        var tokens = _handle.Tokenize(text, addBos && AddBos, parseSpecial, Encoding.UTF8);
        var result = new int[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            result[i] = (int)tokens[i];
        }

        return result;
    }

    public int TokenBytes(int token, Span<byte> destination)
    {
        var written = _handle.TokenToSpan(token, destination, 0, false);
        return checked((int)written);
    }

    public bool IsEndOfGeneration(int token) => ((LLamaToken)token).IsEndOfGeneration(_handle.Vocab);

    public void Dispose() => _handle.Dispose();

    private static string? ReadMetadata(SafeLlamaModelHandle handle, string key)
    {
        var value = handle.MetadataValueByKey(key);
        return value is null ? null : Encoding.UTF8.GetString(value.Value.Span);
    }
}
