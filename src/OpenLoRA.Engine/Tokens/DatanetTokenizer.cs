using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Engine.Tokens;

/// <summary>
/// The one tokenization rule for Datanet record text: the base model's own tokenizer, no BOS, and special-token
/// text (such as "&lt;/s&gt;" typed into a record) kept as plain text. The server indexes uploaded Datanets with these
/// same flags (<c>IInferenceService.TokenizeDatanetText</c> calls <c>Tokenize(text, addBos: false, parseSpecial: false)</c>
/// on the same <see cref="LlamaModel"/>), so a validator that opens the same GGUF file gets identical token ids and
/// therefore the same index root and the same attribution spans. Changing a flag here or there changes every
/// Datanet root, so both sides must change together.
/// </summary>
public sealed class DatanetTokenizer : IDisposable
{
    private readonly LlamaModel _model;

    private DatanetTokenizer(LlamaModel model)
    {
        _model = model;
    }

    /// <summary>Loads the base model on the CPU (only its vocabulary is used); throws <see cref="BackendException"/> if llama.cpp refuses it.</summary>
    public static DatanetTokenizer Open(string ggufPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(ggufPath);
        // LlamaModel.Load initialises the native backend itself (LlamaRuntime.EnsureInitialized), as EngineHost relies on.
        return new DatanetTokenizer(LlamaModel.Load(ggufPath));
    }

    /// <summary>
    /// No BOS: a record is a slice of text, not the start of a prompt, and a BOS in the corpus would match the BOS
    /// of nothing generated. parseSpecial off: contributors' text must not be able to smuggle control tokens.
    /// </summary>
    public int[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _model.Tokenize(text, addBos: false, parseSpecial: false);
    }

    public void Dispose() => _model.Dispose();
}
