namespace OpenLoRA.Engine.Scheduling;

/// <summary>
/// How many completion tokens a sequence can produce at most: the request's max_tokens, or what the context leaves,
/// whichever is smaller. The context rule is <see cref="SequenceDecoder"/>'s: the prompt fills positions
/// 0..prompt-1, every sampled token but the last is decoded at the next position, and the token sampled once the
/// context is full is still delivered (nothing is decoded after it), so a full context yields
/// <c>contextSize − prompt + 1</c> tokens. Billing reserves for this many, never for an unreachable max_tokens.
/// </summary>
public static class CompletionLimit
{
    public static int Of(int contextSize, int promptTokens, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        return (int)Math.Max(1, Math.Min(maxTokens, (long)contextSize - promptTokens + 1));
    }
}
