namespace OpenLoRA.Engine.Scheduling;

/// <summary>How a free KV slot picks its next request among those of the tenant that fairness (VTC) chose.</summary>
public enum AdmissionPolicy
{
    /// <summary>
    /// Prefer a request whose adapter already has running sequences, so steps hold fewer, fuller adapter groups; a
    /// request passed over <c>MaxAdmissionBypass</c> times is admitted next regardless.
    /// </summary>
    AdapterAffinity,

    /// <summary>Arrival order (llama.cpp's server).</summary>
    Fifo,
}
