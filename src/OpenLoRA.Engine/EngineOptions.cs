using System.ComponentModel.DataAnnotations;

namespace OpenLoRA.Engine;

/// <summary>Bound from configuration section <c>OpenLoRA:Engine</c>.</summary>
public sealed class EngineOptions
{
    public const string SectionName = "OpenLoRA:Engine";

    /// <summary>When a configured model file is missing and this is true, the deterministic test models are generated into <see cref="ModelsDirectory"/>.</summary>
    public bool GenerateTestModels { get; set; } = true;

    [Required]
    public string ModelsDirectory { get; set; } = "models";

    [MinLength(1)]
    public List<BaseModelOptions> BaseModels { get; set; } = [];
}
