namespace OpenLoRA.Engine.Adapters.Registry;

/// <summary>Values of <see cref="Models.AdapterInfo.Source"/>.</summary>
internal static class AdapterSources
{
    /// <summary>Scanned from a configured adapter folder at start; read-only through the API.</summary>
    public const string Folder = "folder";

    /// <summary>Published through the API into the store and the registry.</summary>
    public const string Upload = "upload";
}
