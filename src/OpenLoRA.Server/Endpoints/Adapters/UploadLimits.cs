namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>Bounds on the upload form besides the weights file itself (which <c>EngineOptions.MaxAdapterBytes</c> caps).</summary>
internal static class UploadLimits
{
    /// <summary>A text field; the longest legitimate one is a description.</summary>
    public const int MaxFieldBytes = 16 * 1024;

    /// <summary>Parts in one form: the eight fields and up to two files, with room for fields a newer client adds.</summary>
    public const int MaxParts = 32;

    /// <summary>PEFT's adapter_config.json is a few hundred bytes; 1 MiB is generous.</summary>
    public const long MaxConfigBytes = 1024 * 1024;

    /// <summary>What the body may carry beyond the weights: the config, the fields and the multipart framing.</summary>
    public const long BodySlack = MaxConfigBytes + (MaxParts * (MaxFieldBytes + 1024));
}
