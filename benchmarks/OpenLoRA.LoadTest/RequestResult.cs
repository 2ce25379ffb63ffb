namespace OpenLoRA.LoadTest;

/// <summary>What one request measured. Times are null when the request failed before them.</summary>
internal sealed record RequestResult(
    RequestPlan Plan,
    string? ErrorKind,
    double? TimeToFirstTokenSeconds,
    double? TimePerOutputTokenSeconds,
    double EndToEndSeconds,
    int OutputTokens);
