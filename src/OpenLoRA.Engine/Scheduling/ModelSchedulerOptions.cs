namespace OpenLoRA.Engine.Scheduling;

internal sealed record ModelSchedulerOptions(
    int StepTokenBudget,
    int QueueCapacity,
    int MaxResidentAdapters,
    long MaxResidentAdapterBytes = long.MaxValue,
    int MaxAdapterGroupsPerStep = 0,
    AdmissionPolicy Admission = AdmissionPolicy.Fifo,
    int MaxAdmissionBypass = 16);
