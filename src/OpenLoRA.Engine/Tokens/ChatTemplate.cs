using System.Text;

namespace OpenLoRA.Engine.Tokens;

/// <summary>
/// Renders chat messages the way llama.cpp's built-in templates do, for the family detected from markers in the
/// model's GGUF <c>tokenizer.chat_template</c>; ChatML when there is none or it is unknown. Roles: developer is
/// treated as system; unknown roles pass through by name.
/// </summary>
internal sealed class ChatTemplate
{
    private readonly Func<IReadOnlyList<ChatMessage>, bool, string> _render;

    private ChatTemplate(string name, Func<IReadOnlyList<ChatMessage>, bool, string> render)
    {
        Name = name;
        _render = render;
    }

    public string Name { get; }

    public static ChatTemplate FromModelTemplate(string? jinjaTemplate)
    {
        var t = jinjaTemplate ?? "";
        if (t.Contains("<|start_header_id|>", StringComparison.Ordinal))
        {
            return new ChatTemplate("llama3", RenderLlama3);
        }

        if (t.Contains("<start_of_turn>", StringComparison.Ordinal))
        {
            return new ChatTemplate("gemma", RenderGemma);
        }

        if (t.Contains("[INST]", StringComparison.Ordinal))
        {
            return new ChatTemplate("llama2", RenderLlama2);
        }

        if (t.Contains("<|user|>", StringComparison.Ordinal))
        {
            return t.Contains("<|end|>", StringComparison.Ordinal)
                ? new ChatTemplate("phi3", (m, g) => RenderTagged(m, g, "<|end|>\n"))
                : new ChatTemplate("zephyr", (m, g) => RenderTagged(m, g, "</s>\n"));
        }

        return new ChatTemplate("chatml", RenderChatMl);
    }

    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true) => _render(messages, addGenerationPrompt);

    private static string Role(ChatMessage message) => message.Role == "developer" ? "system" : message.Role;

    private static string RenderChatMl(IReadOnlyList<ChatMessage> messages, bool generationPrompt)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            text.Append("<|im_start|>").Append(Role(message)).Append('\n').Append(message.Content).Append("<|im_end|>\n");
        }

        return generationPrompt ? text.Append("<|im_start|>assistant\n").ToString() : text.ToString();
    }

    private static string RenderLlama3(IReadOnlyList<ChatMessage> messages, bool generationPrompt)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            text.Append("<|start_header_id|>").Append(Role(message)).Append("<|end_header_id|>\n\n")
                .Append(message.Content.Trim()).Append("<|eot_id|>");
        }

        return generationPrompt ? text.Append("<|start_header_id|>assistant<|end_header_id|>\n\n").ToString() : text.ToString();
    }

    private static string RenderGemma(IReadOnlyList<ChatMessage> messages, bool generationPrompt)
    {
        // Gemma has no system role: llama.cpp prepends the system text to the first user turn.
        var text = new StringBuilder();
        var system = "";
        foreach (var message in messages)
        {
            var role = Role(message);
            if (role == "system")
            {
                system += message.Content.Trim() + "\n\n";
                continue;
            }

            text.Append("<start_of_turn>").Append(role == "assistant" ? "model" : role).Append('\n')
                .Append(system).Append(message.Content.Trim()).Append("<end_of_turn>\n");
            system = "";
        }

        return generationPrompt ? text.Append("<start_of_turn>model\n").ToString() : text.ToString();
    }

    private static string RenderLlama2(IReadOnlyList<ChatMessage> messages, bool generationPrompt)
    {
        var text = new StringBuilder();
        var system = "";
        foreach (var message in messages)
        {
            switch (Role(message))
            {
                case "system":
                    system = "<<SYS>>\n" + message.Content.Trim() + "\n<</SYS>>\n\n";
                    break;
                case "user":
                    text.Append("[INST] ").Append(system).Append(message.Content.Trim()).Append(" [/INST]");
                    system = "";
                    break;
                default:
                    text.Append(' ').Append(message.Content.Trim()).Append("</s>");
                    break;
            }
        }

        // Llama 2 prompts end with [/INST]; there is no separate generation prompt to add.
        _ = generationPrompt;
        return text.ToString();
    }

    private static string RenderTagged(IReadOnlyList<ChatMessage> messages, bool generationPrompt, string endOfTurn)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            text.Append("<|").Append(Role(message)).Append("|>\n").Append(message.Content).Append(endOfTurn);
        }

        return generationPrompt ? text.Append("<|assistant|>\n").ToString() : text.ToString();
    }
}
