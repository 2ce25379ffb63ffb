using System.Net;
using System.Text.Json;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary>
/// The served chat prompt is the model's own template as llama.cpp renders it: a chat costs exactly the prompt
/// tokens of its hand-rendered text sent as a plain completion (the tiny vocabulary has no chat markers, so both
/// tokenize alike). A model without a template is served with ChatML, and the log says so.
/// </summary>
public sealed class ChatTemplateTests(ChatTemplateServerFixture server) : IClassFixture<ChatTemplateServerFixture>
{
    [Fact]
    public async Task Chat_ModelWithoutTemplate_RendersChatMlAndTheLogSaysSo()
    {
        var chat = await ChatPromptTokensAsync(ChatTemplateServerFixture.NoTemplateModel, """[{"role":"user","content":"Hi there"}]""");
        var completion = await CompletionPromptTokensAsync(
            ChatTemplateServerFixture.NoTemplateModel, "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n");

        Assert.Equal(completion, chat);
        Assert.True(
            server.RecentOutput.Contains($"Model {ChatTemplateServerFixture.NoTemplateModel}: the model has no chat template (GGUF tokenizer.chat_template): chats render as ChatML", StringComparison.Ordinal),
            server.RecentOutput);
    }

    [Fact]
    public async Task Chat_ModelWithLlama3Template_RendersLlamaCppsLlama3FormatWithDeveloperAsSystem()
    {
        var chat = await ChatPromptTokensAsync(
            ChatTemplateServerFixture.Llama3Model, """[{"role":"developer","content":"Be brief."},{"role":"user","content":"Hi there"}]""");
        var completion = await CompletionPromptTokensAsync(
            ChatTemplateServerFixture.Llama3Model,
            "<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n");

        Assert.Equal(completion, chat);
        Assert.True(
            server.RecentOutput.Contains($"Model {ChatTemplateServerFixture.Llama3Model}: chats render with the model's chat template, which llama.cpp's template engine renders as its built-in 'llama3' format", StringComparison.Ordinal),
            server.RecentOutput);
    }

    private async Task<int> ChatPromptTokensAsync(string model, string messages)
    {
        using var response = await server.Http.PostJsonAsync(
            "/v1/chat/completions", $$"""{"model":"{{model}}","messages":{{messages}},"max_tokens":1,"temperature":0}""");
        return await PromptTokensAsync(response);
    }

    private async Task<int> CompletionPromptTokensAsync(string model, string prompt)
    {
        using var response = await server.Http.PostJsonAsync(
            "/v1/completions", $$"""{"model":"{{model}}","prompt":{{JsonSerializer.Serialize(prompt)}},"max_tokens":1,"temperature":0}""");
        return await PromptTokensAsync(response);
    }

    private static async Task<int> PromptTokensAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
    }
}
