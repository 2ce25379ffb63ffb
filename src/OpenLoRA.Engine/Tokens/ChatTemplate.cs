using System.Runtime.InteropServices;
using System.Text;
using LLama.Native;
using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Engine.Tokens;

/// <summary>
/// Renders chats with llama.cpp's own template engine: <c>llama_chat_apply_template</c> (through LLamaSharp's
/// binding) over the model's GGUF <c>tokenizer.chat_template</c>. That engine is not a Jinja interpreter: it
/// recognises the template by its markers and renders one of its built-in formats, or refuses the template (-1),
/// which is an error here, never a silent fallback. A model without a template renders as ChatML, llama.cpp's
/// (and llama-server's) default. The "developer" role is rendered as "system". Thread-safe (immutable).
/// docs/MODELS.md, "Chat templates", says what each family renders to.
/// </summary>
internal sealed class ChatTemplate
{
    /// <summary>The built-in template llama.cpp uses when it is given none (llama-server's default too).</summary>
    public const string DefaultTemplate = "chatml";

    private const string ChatTemplateKey = "tokenizer.chat_template";

    // A conversation whose rendering tells llama.cpp's built-in formats apart: a system message, two user turns
    // around an assistant turn, and padded contents (some formats trim them).
    private static readonly ChatMessage[] Probe =
    [
        new("system", " probe system "),
        new("user", " probe user 1 "),
        new("assistant", " probe assistant "),
        new("user", " probe user 2 "),
    ];

    private readonly byte[] _template;

    private ChatTemplate(byte[] template, string? name, bool isDefault)
    {
        _template = template;
        Name = name;
        IsDefault = isDefault;
    }

    /// <summary>
    /// The name of llama.cpp's built-in format the template renders as ("llama3", "chatml", "gemma", ...): the
    /// first of <c>llama_chat_builtin_templates</c> that renders the probe conversation identically; null if none does.
    /// </summary>
    public string? Name { get; }

    /// <summary>True when the model has no chat template, so chats render as ChatML (<see cref="DefaultTemplate"/>).</summary>
    public bool IsDefault { get; }

    /// <summary>What the logs say about the template a model was loaded with.</summary>
    public string Description => IsDefault
        ? $"the model has no chat template (GGUF {ChatTemplateKey}): chats render as ChatML, llama.cpp's default, as llama-server does"
        : $"chats render with the model's chat template, which llama.cpp's template engine renders as its built-in '{Name ?? "unnamed"}' format";

    /// <summary>The model's template, or ChatML when it has none (null or empty, as llama-server treats both).</summary>
    /// <exception cref="ChatTemplateException">llama.cpp's template engine cannot render the template.</exception>
    public static ChatTemplate FromModelTemplate(string? modelTemplate)
    {
        LlamaRuntime.EnsureInitialized();
        var isDefault = string.IsNullOrEmpty(modelTemplate);
        var template = NullTerminated(isDefault ? DefaultTemplate : modelTemplate!);
        var probe = TryApply(template, Probe, addGenerationPrompt: true, out var code)
            ?? throw new ChatTemplateException(
                $"its chat template (GGUF {ChatTemplateKey}, {modelTemplate!.Length} characters, starting '{Excerpt(modelTemplate)}') "
                + $"cannot be rendered by llama.cpp's template engine (llama_chat_apply_template returned {code}: "
                + "it recognises none of its built-in formats in it). Give the model a template llama.cpp supports "
                + "(docs/MODELS.md, \"Chat templates\").");
        var name = BuiltinTemplateNames().FirstOrDefault(builtin => TryApply(NullTerminated(builtin), Probe, true, out _) == probe);
        return new ChatTemplate(template, name, isDefault);
    }

    /// <summary>The chat as llama.cpp renders it, ending with the assistant's header when <paramref name="addGenerationPrompt"/>.</summary>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        // OpenAI's "developer" is its newer name for system instructions; llama.cpp's formats know only "system" (and
        // would print "developer" as a role name, or, in the Mistral formats, render it as an assistant turn).
        var mapped = messages.Select(m => m.Role == "developer" ? m with { Role = "system" } : m).ToArray();
        return TryApply(_template, mapped, addGenerationPrompt, out var code)
            ?? throw new ChatTemplateException($"llama_chat_apply_template returned {code} for a template it rendered at load");
    }

    /// <summary>The built-in format names of the shipped llama.cpp, in its order.</summary>
    internal static unsafe IReadOnlyList<string> BuiltinTemplateNames()
    {
        LlamaRuntime.EnsureInitialized();
        var count = NativeApi.llama_chat_builtin_templates(null, 0);
        var pointers = new nint[count];
        fixed (nint* output = pointers)
        {
            NativeApi.llama_chat_builtin_templates((char**)output, (nuint)pointers.Length);
        }

        return [.. pointers.Select(p => Marshal.PtrToStringUTF8(p)!)];
    }

    /// <summary>The rendered text, or null with llama.cpp's (negative) result when it refuses the template.</summary>
    private static unsafe string? TryApply(byte[] template, IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, out int code)
    {
        var roles = new byte[messages.Count][];
        var contents = new byte[messages.Count][];
        var handles = new GCHandle[messages.Count * 2];
        var native = new LLamaChatMessage[messages.Count];
        var inputBytes = 0;
        try
        {
            for (var i = 0; i < messages.Count; i++)
            {
                roles[i] = NullTerminated(messages[i].Role);
                contents[i] = NullTerminated(messages[i].Content);
                inputBytes += roles[i].Length + contents[i].Length;
                handles[2 * i] = GCHandle.Alloc(roles[i], GCHandleType.Pinned);
                handles[(2 * i) + 1] = GCHandle.Alloc(contents[i], GCHandleType.Pinned);
                native[i] = new LLamaChatMessage
                {
                    role = (byte*)handles[2 * i].AddrOfPinnedObject(),
                    content = (byte*)handles[(2 * i) + 1].AddrOfPinnedObject(),
                };
            }

            // Formats add a few markers per message; a buffer too small is answered with the length it needs.
            var buffer = new byte[Math.Max(256, inputBytes * 2)];
            code = Apply(template, native, addGenerationPrompt, buffer);
            if (code > buffer.Length)
            {
                buffer = new byte[code];
                code = Apply(template, native, addGenerationPrompt, buffer);
            }

            return code < 0 ? null : Encoding.UTF8.GetString(buffer, 0, code);
        }
        finally
        {
            foreach (var handle in handles)
            {
                if (handle.IsAllocated)
                {
                    handle.Free();
                }
            }
        }
    }

    private static unsafe int Apply(byte[] template, LLamaChatMessage[] messages, bool addGenerationPrompt, byte[] buffer)
    {
        fixed (byte* tmpl = template)
        fixed (LLamaChatMessage* chat = messages)
        fixed (byte* output = buffer)
        {
            return NativeApi.llama_chat_apply_template(tmpl, chat, (nuint)messages.Length, addGenerationPrompt, output, buffer.Length);
        }
    }

    private static byte[] NullTerminated(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private static string Excerpt(string template)
    {
        var line = template.ReplaceLineEndings(" ");
        return line.Length <= 60 ? line : line[..60] + "…";
    }
}
