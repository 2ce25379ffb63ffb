using System.Text;
using LLama.Native;
using OpenLoRA.Gguf;

namespace OpenLoRA.Engine.Backend;

/// <summary>Base model weights loaded once through LLamaSharp, and its tokenizer.</summary>
internal sealed class LlamaModel : ITokenizer, IDisposable
{
    private const string ChatTemplateKey = "tokenizer.chat_template";

    private readonly SafeLlamaModelHandle _handle;

    private LlamaModel(SafeLlamaModelHandle handle, string? chatTemplate)
    {
        _handle = handle;
        VocabSize = handle.Vocab.Count;
        ChatTemplate = chatTemplate;
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

        // The template is read from the file's header with our own reader: LLamaSharp's MetadataValueByKey came back
        // null for a template that was there when other engines were loading models in the same process.
        string? chatTemplate;
        try
        {
            chatTemplate = GgufReader.Read(path).GetString(ChatTemplateKey);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return new LlamaModel(handle, chatTemplate);
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
}
