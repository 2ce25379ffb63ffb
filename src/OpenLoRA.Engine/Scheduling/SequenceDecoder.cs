using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Sampling;
using OpenLoRA.Engine.Tokens;

namespace OpenLoRA.Engine.Scheduling;

/// <summary>
/// Turns one sequence's logits into tokens and tokens into text deltas: sampling, UTF-8 reassembly across
/// tokens, stop sequences, end-of-generation and max_tokens. Scheduler thread only.
/// </summary>
internal sealed class SequenceDecoder
{
    private readonly Sequence _sequence;
    private readonly ITokenizer _tokenizer;
    private readonly TokenSampler _sampler;
    private readonly Utf8TokenDecoder _utf8 = new();
    private readonly StopSequenceMatcher _stops;
    private readonly int _contextSize;
    private byte[] _pieceBuffer = new byte[64];

    public SequenceDecoder(Sequence sequence, ITokenizer tokenizer, int contextSize)
    {
        _sequence = sequence;
        _tokenizer = tokenizer;
        _contextSize = contextSize;
        _sampler = new TokenSampler(sequence.Sampling, tokenizer.VocabSize, sequence.Seed);
        _stops = new StopSequenceMatcher(sequence.Sampling.Stop);
    }

    /// <summary>Samples the next token from <paramref name="logits"/>; returns false when the sequence finished.</summary>
    public bool OnLogits(ReadOnlySpan<float> logits)
    {
        var token = _sampler.Sample(logits);
        _sampler.Accept(token);
        if (!_sequence.Sampling.IgnoreEos && _tokenizer.IsEndOfGeneration(token))
        {
            Complete(FinishReason.Stop);
            return false;
        }

        _sequence.AddGenerated(token);
        _sequence.CountCompletionToken();
        var text = _utf8.Append(Piece(token));
        var match = _stops.Push(text);
        if (match.Stopped)
        {
            _sequence.Finish(match.Emit, FinishReason.Stop);
            return false;
        }

        // Position counts the tokens in the KV cache after this step; the token just sampled would go at Position.
        if (_sequence.CompletionTokens >= _sequence.Sampling.MaxTokens || _sequence.Position >= _contextSize)
        {
            // The token just sampled is delivered but never decoded: nothing follows it.
            Complete(FinishReason.Length, match.Emit);
            return false;
        }

        if (match.Emit.Length > 0)
        {
            _sequence.Emit(new GenerationDelta(match.Emit, _sequence.CompletionTokens, null));
        }

        _sequence.PendingToken = token;
        return true;
    }

    private void Complete(FinishReason reason, string pending = "")
    {
        var tail = _stops.Push(_utf8.Flush());
        if (tail.Stopped)
        {
            _sequence.Finish(pending + tail.Emit, FinishReason.Stop);
            return;
        }

        _sequence.Finish(pending + tail.Emit + _stops.Flush(), reason);
    }

    private ReadOnlySpan<byte> Piece(int token)
    {
        var written = _tokenizer.TokenBytes(token, _pieceBuffer);
        if (written > _pieceBuffer.Length)
        {
            _pieceBuffer = new byte[written];
            written = _tokenizer.TokenBytes(token, _pieceBuffer);
        }

        return _pieceBuffer.AsSpan(0, Math.Max(0, written));
    }
}
