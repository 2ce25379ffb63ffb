using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Engine.Tests.Adapters.Publishing;

/// <summary>A publisher after start-up, its catalog, and the uploaded adapters the start-up found servable.</summary>
internal sealed record StartedPublisher(AdapterPublisher Publisher, ModelCatalog Catalog, IReadOnlyList<AdapterInfo> Uploaded);
