namespace OpenLoRA.Gguf.TestModels;

internal static class ChatTemplates
{
    /// <summary>ChatML, the Jinja template Qwen and others ship; llama.cpp recognises it by "&lt;|im_start|&gt;".</summary>
    public const string ChatMl =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
}
