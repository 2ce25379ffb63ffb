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

    /// <summary>Durable state: the SQLite database (<c>openlora.db</c>) and the content-addressed adapter store (<c>adapters/</c>).</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Cap on uploaded adapter files (bytes).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxAdapterBytes { get; set; } = 256L * 1024 * 1024;

    [MinLength(1)]
    public List<BaseModelOptions> BaseModels { get; set; } = [];
}
