namespace OpenLoRA.Engine.Backend;

/// <summary>Receives the logits of the last token of item <paramref name="itemIndex"/>; the span is only valid during the call.</summary>
internal delegate void StepLogitsHandler(int itemIndex, ReadOnlySpan<float> logits);
