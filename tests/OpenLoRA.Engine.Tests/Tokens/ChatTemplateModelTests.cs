using LLama;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Engine.Tokens;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Engine.Tests.Tokens;

/// <summary>
/// Chat templates as the engine meets them: in a generated model's GGUF, read by llama.cpp, at model start-up, and
/// with the family's markers in the vocabulary.
/// </summary>
public sealed class ChatTemplateModelTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("openlora-template-").FullName;

    public static TheoryData<string, string, string> Families => new()
    {
        { nameof(ChatTemplates.Llama3), ChatTemplates.Llama3, "llama3" },
        { nameof(ChatTemplates.Qwen25), ChatTemplates.Qwen25, "chatml" },
        { nameof(ChatTemplates.Qwen3), ChatTemplates.Qwen3, "chatml" },
        { nameof(ChatTemplates.Mistral), ChatTemplates.Mistral, "mistral-v3-tekken" },
        { nameof(ChatTemplates.Gemma), ChatTemplates.Gemma, "gemma" },
        { nameof(ChatTemplates.Phi3), ChatTemplates.Phi3, "phi3" },
    };

    public static TheoryData<string, string> EndOfTurnMarkers => new()
    {
        { nameof(ChatTemplates.Llama3), "<|eot_id|>" },
        { nameof(ChatTemplates.Qwen25), "<|im_end|>" },
        { nameof(ChatTemplates.Gemma), "<end_of_turn>" },
        { nameof(ChatTemplates.Phi3), "<|end|>" },
    };

    private static readonly ChatMessage[] Conversation =
    [
        new("system", "Be brief."),
        new("user", "Hi"),
        new("assistant", "Hello"),
        new("user", "Bye"),
    ];

    [Theory]
    [MemberData(nameof(Families))]
    public void Load_FamilyTemplateInTheGguf_RendersAsLlamaCppRendersTheModel(string family, string jinja, string builtIn)
    {
        var path = WriteModel(family, jinja, controlTokens: []);
        using var model = LlamaModel.Load(path, vocabularyOnly: true);

        var template = ChatTemplate.FromModelTemplate(model.ChatTemplate);

        Assert.Equal(jinja, model.ChatTemplate);
        Assert.Equal(builtIn, template.Name);

        // The reference: LLamaSharp's template for the loaded model, which llama.cpp reads from the file itself.
        var reference = new LLamaTemplate(model.Handle, null, true) { AddAssistant = true };
        foreach (var message in Conversation)
        {
            reference.Add(message.Role, message.Content);
        }

        Assert.Equal(LLamaTemplate.Encoding.GetString(reference.Apply()), template.Render(Conversation));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Tokenize_MarkersInTheVocabularyAsControlTokens_EachMarkerIsOneToken(string family, string jinja, string builtIn)
    {
        _ = builtIn;
        var markers = ControlTokens(family);
        using var withMarkers = LlamaModel.Load(WriteModel(family, jinja, markers), vocabularyOnly: true);
        using var without = LlamaModel.Load(WriteModel(family + "-plain", jinja, controlTokens: []), vocabularyOnly: true);
        var prompt = ChatTemplate.FromModelTemplate(jinja).Render(Conversation);

        foreach (var marker in markers)
        {
            Assert.Contains(marker, prompt, StringComparison.Ordinal);
            Assert.Single(withMarkers.Tokenize(marker, addBos: false, parseSpecial: true));
            Assert.True(without.Tokenize(marker, addBos: false, parseSpecial: true).Length > 1, $"{marker} is one token without being in the vocabulary");
        }
    }

    [Theory]
    [MemberData(nameof(EndOfTurnMarkers))]
    public void IsEndOfGeneration_EndOfTurnMarkerInTheVocabulary_EndsGeneration(string family, string marker)
    {
        using var model = LlamaModel.Load(WriteModel(family, ChatTemplates.ChatMl, ControlTokens(family)), vocabularyOnly: true);

        var token = Assert.Single(model.Tokenize(marker, addBos: false, parseSpecial: true));

        Assert.True(model.IsEndOfGeneration(token));
    }

    [Fact]
    public async Task Start_ModelWithATemplateLlamaCppCannotRender_FailsNamingTheModelAndTheTemplate()
    {
        const string jinja = "{% for message in messages %}<|turn|>{{ message['content'] }}{% endfor %}";
        var path = WriteModel("bad-template", jinja, controlTokens: []);

        var ex = await Assert.ThrowsAsync<BackendException>(() => StartEngineAsync("tiny-bad-template", path));

        Assert.Contains("Model tiny-bad-template cannot start: its chat template (GGUF tokenizer.chat_template", ex.Message, StringComparison.Ordinal);
        Assert.Contains("llama_chat_apply_template returned -1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ModelWithoutTemplate_ServesChatMl()
    {
        var path = WriteModel("no-template", null, controlTokens: []);

        var host = await StartEngineAsync("tiny-no-template", path);
        try
        {
            Assert.Equal(
                "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                PrepareChat(host, "tiny-no-template", [new ChatMessage("user", "Hi")]).Text);
        }
        finally
        {
            await StopAsync(host);
        }
    }

    [Fact]
    public async Task Start_ModelWithTheLlama3Template_ServesLlamaCppsLlama3Rendering()
    {
        var path = WriteModel("llama3", ChatTemplates.Llama3, controlTokens: []);

        var host = await StartEngineAsync("tiny-llama3", path);
        try
        {
            Assert.Equal(
                "<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                PrepareChat(host, "tiny-llama3", [new ChatMessage("developer", "Be brief."), new ChatMessage("user", "Hi")]).Text);
        }
        finally
        {
            await StopAsync(host);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        host.Dispose();
    }

    private static PreparedPrompt PrepareChat(IHost host, string model, IReadOnlyList<ChatMessage> messages)
    {
        var baseModel = host.Services.GetRequiredService<IModelCatalog>().BaseModels.Single(m => m.Name == model);
        return host.Services.GetRequiredService<IInferenceService>().PrepareChat(new ModelTarget(baseModel, null), messages);
    }

    private static IReadOnlyList<string> ControlTokens(string family) => family switch
    {
        nameof(ChatTemplates.Llama3) => ChatTemplates.Llama3ControlTokens,
        nameof(ChatTemplates.Qwen25) => ChatTemplates.Qwen25ControlTokens,
        nameof(ChatTemplates.Qwen3) => ChatTemplates.Qwen3ControlTokens,
        nameof(ChatTemplates.Mistral) => ChatTemplates.MistralControlTokens,
        nameof(ChatTemplates.Gemma) => ChatTemplates.GemmaControlTokens,
        nameof(ChatTemplates.Phi3) => ChatTemplates.Phi3ControlTokens,
        _ => throw new ArgumentException($"unknown family '{family}'", nameof(family)),
    };

    /// <summary>The tiny model, its vocabulary extended by <paramref name="controlTokens"/>, with <paramref name="jinja"/> as its template.</summary>
    private string WriteModel(string name, string? jinja, IReadOnlyList<string> controlTokens)
    {
        var vocabulary = TestVocabularies.Tiny();
        foreach (var token in controlTokens)
        {
            vocabulary.AddControl(token);
        }

        var spec = TestModelCatalog.Tiny().Model() with { Vocabulary = vocabulary };
        var source = Path.Combine(_root, $"{name}-source.gguf");
        var path = Path.Combine(_root, $"{name}.gguf");
        LlamaModelWriter.Write(spec, source, TestModelGenerator.DefaultSeed);
        ChatTemplateVariant.Write(source, path, jinja);
        return path;
    }

    private async Task<IHost> StartEngineAsync(string model, string path)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenLoRA:Engine:ModelsDirectory"] = "models",
            ["OpenLoRA:Engine:GenerateTestModels"] = "false",
            ["OpenLoRA:Engine:BaseModels:0:Name"] = model,
            ["OpenLoRA:Engine:BaseModels:0:Path"] = path,
            ["OpenLoRA:Engine:BaseModels:0:ContextSize"] = "256",
            ["OpenLoRA:Engine:BaseModels:0:MaxSequences"] = "4",
            ["OpenLoRA:Engine:BaseModels:0:StepTokenBudget"] = "64",
            ["OpenLoRA:Engine:BaseModels:0:Threads"] = "2",
        });
        builder.Services.AddLogging();
        builder.Services.AddOpenLoRAEngine(builder.Configuration);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
