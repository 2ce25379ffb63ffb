namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// Llama 3.1's rope scaling (Hugging Face rope_type "llama3"), which convert_hf_to_gguf.py bakes into a
/// <c>rope_freqs.weight</c> tensor of one factor per rotary pair: wavelengths shorter than
/// <c>OriginalContext / HighFrequencyFactor</c> keep factor 1, longer than <c>OriginalContext / LowFrequencyFactor</c>
/// get <see cref="Factor"/>, and the ones between are interpolated smoothly. llama.cpp divides each pair's
/// frequency by its factor (ggml_rope_ext's third argument).
/// </summary>
internal sealed record Llama3RopeScaling(float Factor, float LowFrequencyFactor, float HighFrequencyFactor, int OriginalContext)
{
    public float[] Factors(int headDimension, float ropeBase)
    {
        var lowWavelength = OriginalContext / LowFrequencyFactor;
        var highWavelength = OriginalContext / HighFrequencyFactor;
        var factors = new float[headDimension / 2];
        for (var i = 0; i < factors.Length; i++)
        {
            var frequency = 1.0 / Math.Pow(ropeBase, 2.0 * i / headDimension);
            var wavelength = 2 * Math.PI / frequency;
            if (wavelength < highWavelength)
            {
                factors[i] = 1f;
            }
            else if (wavelength > lowWavelength)
            {
                factors[i] = Factor;
            }
            else
            {
                var smooth = (OriginalContext / wavelength - LowFrequencyFactor) / (HighFrequencyFactor - LowFrequencyFactor);
                factors[i] = (float)(1.0 / ((1 - smooth) / Factor + smooth));
            }
        }

        return factors;
    }
}
