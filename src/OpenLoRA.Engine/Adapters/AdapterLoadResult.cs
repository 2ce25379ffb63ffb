using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Engine.Adapters;

/// <summary>The outcome of one load: a handle, or the error every waiting request gets.</summary>
internal sealed record AdapterLoadResult(AdapterInfo Adapter, IBackendAdapter? Handle, BackendException? Error, TimeSpan Elapsed);
