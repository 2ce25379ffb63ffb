using Microsoft.Extensions.Logging;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Sampling;
using OpenLoRA.Engine.Scheduling;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>
/// One probe step of an upload on the real base model, through the model's own scheduler and backend (the adapter is
/// loaded into the resident set as a request would load it): a short prompt is prefilled and one token sampled,
/// which runs every projection the adapter targets and the output head. Weights that each pass the magnitude check
/// can still overflow the forward pass together (B·A·x beyond F16's 65,504 in the KV cache, then NaN through
/// attention); such an adapter would only ever end its requests with adapter_numerical_error, so it is refused
/// at upload instead. One step cannot prove every prompt finite: the per-step check stays the guard for the rest.
/// </summary>
internal sealed partial class AdapterProbe(IInferenceService inference, ILogger<AdapterProbe> logger) : IAdapterProbe
{
    /// <summary>A few ordinary tokens: enough for attention over several cells in the one prefill step.</summary>
    private const string ProbeText = "Hello, world. The probe";

    private static readonly SamplingParameters Greedy = new() { Temperature = 0, MaxTokens = 1, Tenant = "adapter-probe" };

    public async Task<string?> FindProblemAsync(ModelTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var prompt = inference.PrepareCompletion(target, ProbeText);
        var generation = inference.Submit(target, prompt, Greedy, cancellationToken);
        await using (generation.ConfigureAwait(false))
        {
            try
            {
                // The one token's text does not matter; reading to the end surfaces how the step went.
                await foreach (var _ in generation.Deltas.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                }
            }
            catch (NonFiniteLogitsException)
            {
                return $"one probe step on base model '{target.BaseModel.Name}' gave non-finite logits (NaN or infinity): " +
                    "its weights overflow the forward pass, so every request through it would fail";
            }
            catch (BackendException ex)
            {
                // The backend's text names the temp file; the client gets the fact, the log the detail.
                LogLoadRefused(target.Adapter?.Name ?? "", target.BaseModel.Name, ex.Message);
                return $"the backend of base model '{target.BaseModel.Name}' could not load it";
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload {Name} refused: the backend of {Model} could not load it: {Reason}")]
    private partial void LogLoadRefused(string name, string model, string reason);
}
