using OpenLoRA.Gguf.TestModels;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary>
/// The real server with two more copies of the tiny model: one without a chat template and one with Llama 3.1's
/// published template, written before the server starts.
/// </summary>
public sealed class ChatTemplateServerFixture : ServerFixture
{
    public const string NoTemplateModel = "tiny-no-template";

    public const string Llama3Model = "tiny-llama3-template";

    private readonly string _noTemplatePath;
    private readonly string _llama3Path;

    public ChatTemplateServerFixture()
    {
        var tiny = TestModelGenerator.EnsureTinyModels(Path.Combine(WorkDirectory, "models"));
        var variants = Path.Combine(WorkDirectory, "models", "templates");
        _noTemplatePath = Path.Combine(variants, $"{NoTemplateModel}.gguf");
        _llama3Path = Path.Combine(variants, $"{Llama3Model}.gguf");
        ChatTemplateVariant.Write(tiny.BaseModelPath, _noTemplatePath, chatTemplate: null);
        ChatTemplateVariant.Write(tiny.BaseModelPath, _llama3Path, ChatTemplates.Llama3);
    }

    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        new("OpenLoRA:Engine:BaseModels:1:Name", NoTemplateModel),
        new("OpenLoRA:Engine:BaseModels:1:Path", _noTemplatePath),
        new("OpenLoRA:Engine:BaseModels:2:Name", Llama3Model),
        new("OpenLoRA:Engine:BaseModels:2:Path", _llama3Path),
    ];
}
