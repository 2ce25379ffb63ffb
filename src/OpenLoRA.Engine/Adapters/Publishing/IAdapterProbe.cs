using OpenLoRA.Engine.Models;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>Runs a validated adapter on its real base model once before it is published.</summary>
internal interface IAdapterProbe
{
    /// <summary>
    /// Why <paramref name="target"/>'s adapter cannot be served (its probe step gave non-finite logits, or the backend
    /// would not load it), or null when it ran cleanly. Throws what the engine throws for a full queue or a shutdown.
    /// </summary>
    Task<string?> FindProblemAsync(ModelTarget target, CancellationToken cancellationToken);
}
