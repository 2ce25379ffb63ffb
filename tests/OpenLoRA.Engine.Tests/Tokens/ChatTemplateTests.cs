using OpenLoRA.Engine.Tokens;

namespace OpenLoRA.Engine.Tests.Tokens;

public sealed class ChatTemplateTests
{
    private static readonly ChatMessage[] Conversation =
    [
        new("system", "Be brief."),
        new("user", "Hi"),
        new("assistant", "Hello"),
        new("user", "Bye"),
    ];

    [Fact]
    public void Render_NoTemplate_UsesChatMlWithGenerationPrompt()
    {
        var template = ChatTemplate.FromModelTemplate(null);

        Assert.Equal("chatml", template.Name);
        Assert.Equal(
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n"
            + "<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n",
            template.Render(Conversation));
    }

    [Fact]
    public void Render_Llama3Template_UsesHeaderTokens()
    {
        var template = ChatTemplate.FromModelTemplate("{{ '<|start_header_id|>' + message['role'] }}");

        Assert.Equal("llama3", template.Name);
        Assert.Equal(
            "<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nHello<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
            template.Render(Conversation));
    }

    [Fact]
    public void Render_GemmaTemplate_FoldsSystemIntoFirstUserTurn()
    {
        var template = ChatTemplate.FromModelTemplate("{{ '<start_of_turn>' + role }}");

        Assert.Equal(
            "<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello<end_of_turn>\n"
            + "<start_of_turn>user\nBye<end_of_turn>\n<start_of_turn>model\n",
            template.Render(Conversation));
    }

    [Fact]
    public void Render_Llama2Template_WrapsUserTurnsInInst()
    {
        var template = ChatTemplate.FromModelTemplate("{{ '[INST] ' + content + ' [/INST]' }}");

        Assert.Equal(
            "[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello</s>[INST] Bye [/INST]",
            template.Render(Conversation));
    }

    [Theory]
    [InlineData("{{ '<|user|>' }}{{ '<|end|>' }}", "phi3", "<|end|>\n")]
    [InlineData("{{ '<|user|>' }}{{ eos_token }}</s>", "zephyr", "</s>\n")]
    public void Render_TaggedTemplates_UseTheirEndOfTurn(string jinja, string name, string endOfTurn)
    {
        var template = ChatTemplate.FromModelTemplate(jinja);

        Assert.Equal(name, template.Name);
        Assert.Equal($"<|user|>\nHi{endOfTurn}<|assistant|>\n", template.Render([new ChatMessage("user", "Hi")]));
    }

    [Fact]
    public void Render_DeveloperRole_IsTreatedAsSystem()
    {
        var template = ChatTemplate.FromModelTemplate(null);

        Assert.StartsWith("<|im_start|>system\n", template.Render([new ChatMessage("developer", "x")]));
    }
}
