using OpenLoRA.Engine.Models;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>
/// Publishes uploaded adapters into the content-addressed store and the SQLite registry, and removes them.
/// Every change is visible in <see cref="IModelCatalog"/> as soon as the call returns.
/// </summary>
public interface IAdapterPublisher
{
    /// <summary>
    /// Takes ownership of <see cref="AdapterUpload.TempFilePath"/> (a GGUF file inside the store's temp folder,
    /// already converted if the upload was PEFT): fsync, validate against the base model, rename to
    /// <c>&lt;sha256&gt;.gguf</c>, then insert the registry row and the used signature in one transaction.
    /// A new version under an existing name replaces it (only for the same publisher).
    /// Throws <see cref="AdapterPublishException"/> with a status-like <see cref="AdapterPublishError"/>.
    /// </summary>
    Task<AdapterInfo> PublishAsync(AdapterUpload upload, CancellationToken cancellationToken);

    /// <summary>Deletes by sha256 or name; only its publisher may. Consumes the signature like an upload does.</summary>
    Task<AdapterInfo> DeleteAsync(AdapterDeletion deletion, CancellationToken cancellationToken);

    /// <summary>Directory where uploads are streamed before publishing (same file system as the store, so rename is atomic).</summary>
    string TempDirectory { get; }
}
