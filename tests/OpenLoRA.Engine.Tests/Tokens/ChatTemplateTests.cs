using LLama;
using OpenLoRA.Engine.Tokens;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Engine.Tests.Tokens;

/// <summary>
/// The engine's chat rendering against llama.cpp's template engine called through LLamaSharp's own
/// <see cref="LLamaTemplate"/> (the reference), and against hand-written strings read from llama.cpp's formats, for
/// the published templates of each model family.
/// </summary>
public sealed class ChatTemplateTests
{
    private static readonly ChatMessage[] Conversation =
    [
        new("system", "Be brief."),
        new("user", "Hi"),
        new("assistant", "Hello"),
        new("user", "Bye"),
    ];

    // Conversations the equivalence runs over: multi-turn with and without a system message, one user turn, padded
    // contents (some formats trim), a system message that is not first, and non-ASCII text.
    private static readonly ChatMessage[][] Conversations =
    [
        Conversation,
        [new("user", "Hi"), new("assistant", "Hello"), new("user", "Bye")],
        [new("user", "What is 2+2?")],
        [new("system", "  You are terse.\n"), new("user", " spaced  "), new("assistant", "\nok\n"), new("user", "again ")],
        [new("user", "Hi"), new("system", "Answer in French."), new("user", "Bonjour, ça va ? 日本語")],
    ];

    public static TheoryData<string, string> Families => new()
    {
        { nameof(ChatTemplates.Llama3), "llama3" },
        { nameof(ChatTemplates.Qwen25), "chatml" },
        { nameof(ChatTemplates.Qwen3), "chatml" },
        { nameof(ChatTemplates.Mistral), "mistral-v3-tekken" },
        { nameof(ChatTemplates.Gemma), "gemma" },
        { nameof(ChatTemplates.Phi3), "phi3" },
        { nameof(ChatTemplates.ChatMl), "chatml" },
    };

    /// <summary>What llama.cpp renders <see cref="Conversation"/> to with the generation prompt, written out by hand.</summary>
    public static TheoryData<string, string> HandWritten => new()
    {
        {
            nameof(ChatTemplates.Llama3),
            "<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nHello<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n"
        },
        {
            nameof(ChatTemplates.Qwen25),
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n"
            + "<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n"
        },
        {
            nameof(ChatTemplates.Qwen3),
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n"
            + "<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n"
        },
        { nameof(ChatTemplates.Mistral), "[INST]Be brief.\n\nHi[/INST]Hello</s>[INST]Bye[/INST]" },
        {
            nameof(ChatTemplates.Gemma),
            "<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello<end_of_turn>\n"
            + "<start_of_turn>user\nBye<end_of_turn>\n<start_of_turn>model\n"
        },
        {
            nameof(ChatTemplates.Phi3),
            "<|system|>\nBe brief.<|end|>\n<|user|>\nHi<|end|>\n<|assistant|>\nHello<|end|>\n<|user|>\nBye<|end|>\n<|assistant|>\n"
        },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void FromModelTemplate_FamilyTemplate_ResolvesToLlamaCppsBuiltInFormat(string family, string builtIn)
    {
        var template = ChatTemplate.FromModelTemplate(Template(family));

        Assert.Equal(builtIn, template.Name);
        Assert.False(template.IsDefault);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Render_FamilyTemplate_IsExactlyWhatLlamaCppRenders(string family, string builtIn)
    {
        _ = builtIn;
        var jinja = Template(family);
        var template = ChatTemplate.FromModelTemplate(jinja);

        foreach (var conversation in Conversations)
        {
            foreach (var generationPrompt in new[] { true, false })
            {
                Assert.Equal(LlamaCpp(jinja, conversation, generationPrompt), template.Render(conversation, generationPrompt));
            }
        }
    }

    [Theory]
    [MemberData(nameof(HandWritten))]
    public void Render_MultiTurnWithSystem_MatchesTheHandWrittenFormat(string family, string expected)
    {
        var template = ChatTemplate.FromModelTemplate(Template(family));

        Assert.Equal(expected, template.Render(Conversation));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Render_DeveloperRole_RendersAsLlamaCppRendersSystem(string family, string builtIn)
    {
        _ = builtIn;
        var jinja = Template(family);
        var template = ChatTemplate.FromModelTemplate(jinja);

        Assert.Equal(
            LlamaCpp(jinja, [new("system", "Be brief."), new("user", "Hi")], true),
            template.Render([new ChatMessage("developer", "Be brief."), new ChatMessage("user", "Hi")]));
    }

    [Fact]
    public void LlamaCpp_RawDeveloperRole_IsNoSystemMessage()
    {
        // Why the engine maps "developer" to "system": llama.cpp's formats know no developer role.
        Assert.StartsWith("<|im_start|>developer\n", LlamaCpp(ChatTemplates.ChatMl, [new("developer", "Be brief.")], false), StringComparison.Ordinal);
        Assert.Equal("[INST]Be brief.</s>", LlamaCpp(ChatTemplates.Mistral, [new("developer", "Be brief.")], false));
    }

    [Fact]
    public void Render_WithoutGenerationPrompt_EndsWithTheLastTurn()
    {
        var llama3 = ChatTemplate.FromModelTemplate(ChatTemplates.Llama3);
        var mistral = ChatTemplate.FromModelTemplate(ChatTemplates.Mistral);
        ChatMessage[] chat = [new("user", "Hi")];

        Assert.Equal("<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>", llama3.Render(chat, addGenerationPrompt: false));
        Assert.Equal("<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", llama3.Render(chat));

        // llama.cpp's Mistral formats have no generation prompt: the prompt ends with the user's [/INST] either way.
        Assert.Equal("[INST]Hi[/INST]", mistral.Render(chat, addGenerationPrompt: false));
        Assert.Equal("[INST]Hi[/INST]", mistral.Render(chat));
    }

    [Fact]
    public void Render_Qwen25WithoutSystem_AddsNoDefaultSystemMessage()
    {
        // The Jinja would insert "You are Qwen, created by Alibaba Cloud..."; llama.cpp's chatml format does not.
        var template = ChatTemplate.FromModelTemplate(ChatTemplates.Qwen25);

        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", template.Render([new ChatMessage("user", "Hi")]));
    }

    [Theory]
    [InlineData("{% for message in messages %}{{ message['content'] }}{% endfor %}")]
    [InlineData("not a template at all")]
    [InlineData("{{ bos_token }}{% for m in messages %}<|turn|>{{ m.role }}: {{ m.content }}{% endfor %}")]
    public void FromModelTemplate_TemplateLlamaCppCannotRender_ThrowsNamingTheProblem(string jinja)
    {
        Assert.Null(LlamaCppOrNull(jinja));

        var ex = Assert.Throws<ChatTemplateException>(() => ChatTemplate.FromModelTemplate(jinja));

        Assert.Contains("llama_chat_apply_template returned -1", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{jinja.Length} characters, starting '{jinja[..Math.Min(60, jinja.Length)]}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void FromModelTemplate_NoTemplate_IsChatMlAndSaysSo(string? jinja)
    {
        var template = ChatTemplate.FromModelTemplate(jinja);

        Assert.True(template.IsDefault);
        Assert.Equal("chatml", template.Name);
        Assert.Contains("no chat template", template.Description, StringComparison.Ordinal);
        Assert.Equal(
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n"
            + "<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n",
            template.Render(Conversation));
    }

    [Fact]
    public void FromModelTemplate_BuiltInName_IsThatFormat()
    {
        // llama.cpp accepts the names of its formats as templates (as llama-server's --chat-template does).
        Assert.Equal("gemma", ChatTemplate.FromModelTemplate("gemma").Name);
        Assert.Contains("llama3", ChatTemplate.BuiltinTemplateNames());
    }

    private static string Template(string family) => family switch
    {
        nameof(ChatTemplates.Llama3) => ChatTemplates.Llama3,
        nameof(ChatTemplates.Qwen25) => ChatTemplates.Qwen25,
        nameof(ChatTemplates.Qwen3) => ChatTemplates.Qwen3,
        nameof(ChatTemplates.Mistral) => ChatTemplates.Mistral,
        nameof(ChatTemplates.Gemma) => ChatTemplates.Gemma,
        nameof(ChatTemplates.Phi3) => ChatTemplates.Phi3,
        nameof(ChatTemplates.ChatMl) => ChatTemplates.ChatMl,
        _ => throw new ArgumentException($"unknown family '{family}'", nameof(family)),
    };

    private static string LlamaCpp(string jinja, IEnumerable<ChatMessage> messages, bool generationPrompt) =>
        LlamaCppOrNull(jinja, messages, generationPrompt) ?? throw new InvalidOperationException("llama.cpp refused the template");

    /// <summary>LLamaSharp's <see cref="LLamaTemplate"/> over llama_chat_apply_template; null when llama.cpp refuses the template.</summary>
    private static string? LlamaCppOrNull(string jinja, IEnumerable<ChatMessage>? messages = null, bool generationPrompt = true)
    {
        OpenLoRA.Engine.Backend.LlamaRuntime.EnsureInitialized();
        var template = new LLamaTemplate(jinja) { AddAssistant = generationPrompt };
        foreach (var message in messages ?? Conversation)
        {
            template.Add(message.Role, message.Content);
        }

        try
        {
            return LLamaTemplate.Encoding.GetString(template.Apply());
        }
        catch (LLama.Exceptions.MissingTemplateException)
        {
            return null;
        }
    }
}
