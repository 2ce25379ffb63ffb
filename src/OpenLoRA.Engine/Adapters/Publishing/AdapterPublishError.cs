namespace OpenLoRA.Engine.Adapters.Publishing;

public enum AdapterPublishError
{
    /// <summary>400: the file failed validation (reason in the message) or the base model is unknown.</summary>
    Invalid,

    /// <summary>403: the name or adapter belongs to another publisher.</summary>
    Forbidden,

    /// <summary>404: no such adapter.</summary>
    NotFound,

    /// <summary>409: the same content is already registered under another name.</summary>
    Conflict,

    /// <summary>401: the signature was already used.</summary>
    Replayed,
}
