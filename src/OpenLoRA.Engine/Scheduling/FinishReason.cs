namespace OpenLoRA.Engine.Scheduling;

public enum FinishReason
{
    /// <summary>End-of-generation token or a stop sequence.</summary>
    Stop,

    /// <summary>max_tokens reached or the context is full.</summary>
    Length,

    /// <summary>The request was cancelled (client gone or deadline).</summary>
    Cancelled,
}
