namespace OpenLoRA.Attribution.Scoring;

/// <summary>A maximal span of the generated tokens found verbatim in the Datanet.</summary>
/// <param name="Start">Offset in the generated tokens.</param>
/// <param name="Length">Tokens matched.</param>
/// <param name="Occurrences">Exact number of occurrences in the corpus.</param>
/// <param name="RecordIds">Distinct records among the enumerated occurrences, in Datanet order.</param>
/// <param name="Weight">length × rarity in Q16.16 fixed point (see <see cref="SpanAttributor"/>).</param>
public sealed record AttributedSpan(int Start, int Length, int Occurrences, IReadOnlyList<string> RecordIds, ulong Weight);
