using System.Runtime.CompilerServices;
using LLama.Native;
using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Cli.Probing;

/// <summary>
/// Loads adapter files straight into llama.cpp, one after another in one process, and decodes a short prompt with
/// each. "BEGIN file" is flushed before touching a file, so when a bad file kills the process the last BEGIN line
/// names it. Each file then ends with "RESULT file loaded|refused|nonfinite".
/// </summary>
internal static class AdapterProbe
{
    private const string Prompt = "Hello, how are you?";

    public static int Run(string modelPath, IReadOnlyList<string> files, TextWriter output)
    {
        LlamaRuntime.EnsureInitialized();
        var modelParameters = LLamaModelParams.Default();
        modelParameters.n_gpu_layers = 0;
        using var model = SafeLlamaModelHandle.LoadFromFile(modelPath, modelParameters);
        var contextParameters = LLamaContextParams.Default();
        contextParameters.n_ctx = 64;
        contextParameters.n_batch = 64;
        contextParameters.n_ubatch = 64;
        contextParameters.n_seq_max = 1;
        contextParameters.n_threads = 1;
        contextParameters.n_threads_batch = 1;
        using var context = SafeLLamaContextHandle.Create(model, contextParameters);
        var tokens = model.Tokenize(Prompt, true, false, System.Text.Encoding.UTF8);
        foreach (var file in files)
        {
            output.WriteLine($"BEGIN {file}");
            output.Flush();
            output.WriteLine($"RESULT {file} {Probe(model, context, tokens, file)}");
            output.Flush();
        }

        return 0;
    }

    private static string Probe(SafeLlamaModelHandle model, SafeLLamaContextHandle context, LLamaToken[] tokens, string file)
    {
        LoraAdapter adapter;
        try
        {
            adapter = model.LoadLoraFromFile(file);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return "refused";
        }

        // A refused load returns an adapter with a zero native pointer, which would crash the next decode.
        if (GetNativePointer(adapter) == IntPtr.Zero)
        {
            return "refused";
        }

        try
        {
            context.SetLoraAdapters((adapter, 1f));
            return DecodeIsFinite(context, tokens) ? "loaded" : "nonfinite";
        }
        finally
        {
            // Clear before freeing: a freed adapter still set on the context is read by the next decode.
            context.SetLoraAdapters();
            adapter.Unload();
        }
    }

    private static bool DecodeIsFinite(SafeLLamaContextHandle context, LLamaToken[] tokens)
    {
        context.MemorySequenceRemove((LLamaSeqId)0, -1, -1);
        var batch = new LLamaBatch();
        for (var i = 0; i < tokens.Length; i++)
        {
            batch.Add(tokens[i], i, (LLamaSeqId)0, i == tokens.Length - 1);
        }

        if (context.Decode(batch) != DecodeResult.Ok)
        {
            return false;
        }

        foreach (var logit in context.GetLogitsIth(batch.TokenCount - 1))
        {
            if (!float.IsFinite(logit))
            {
                return false;
            }
        }

        return true;
    }

    // LoraAdapter.Pointer is internal in LLamaSharp 0.30.0.
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Pointer")]
    private static extern IntPtr GetNativePointer(LoraAdapter adapter);
}
