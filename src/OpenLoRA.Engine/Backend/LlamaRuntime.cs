using LLama.Native;
using Microsoft.Extensions.Logging;

namespace OpenLoRA.Engine.Backend;

/// <summary>
/// One-time native initialization of LLamaSharp. The log callback must be registered and the native API touched
/// before <see cref="LLamaModelParams.Default"/>, or native loading fails (LLAMA-NOTES.md).
/// </summary>
public static class LlamaRuntime
{
    private static readonly Lock Gate = new();
    private static ILogger? _logger;
    private static bool _initialized;

    public static void EnsureInitialized(ILogger? logger = null)
    {
        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }

            _logger = logger;
            NativeLibraryConfig.All.WithLogCallback(OnNativeLog);
            NativeApi.llama_empty_call();
            _initialized = true;
        }
    }

    private static void OnNativeLog(LLamaLogLevel level, string message)
    {
        var logger = _logger;
        if (logger is null)
        {
            return;
        }

        var text = message.TrimEnd();
        if (text.Length == 0)
        {
            return;
        }

        switch (level)
        {
            case LLamaLogLevel.Error:
                logger.LogError("llama.cpp: {Message}", text);
                break;
            case LLamaLogLevel.Warning:
                logger.LogWarning("llama.cpp: {Message}", text);
                break;
            default:
                logger.LogTrace("llama.cpp: {Message}", text);
                break;
        }
    }
}
