using System.Globalization;

namespace OpenLoRA.Gguf.Validation;

/// <summary>Reads every element of every tensor: NaN, ±Inf or huge weights load fine but make all logits non-finite.</summary>
internal static class TensorValueRules
{
    public static string? Check(Stream stream, GgufFile file)
    {
        string? reason = null;
        foreach (var tensor in file.Tensors)
        {
            GgufReader.ReadTensorValues(stream, file, tensor, (values, first) =>
            {
                var index = IndexOfBad(values);
                if (index < 0)
                {
                    return true;
                }

                reason = Describe(tensor.Name, first + index, values[index]);
                return false;
            });
            if (reason is not null)
            {
                return reason;
            }
        }

        return null;
    }

    private static int IndexOfBad(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            // The negated form is also true for NaN, which fails every comparison.
            if (!(Math.Abs(values[i]) <= AdapterLimits.MaxAbsoluteValue))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Describe(string tensor, long index, float value)
    {
        if (float.IsNaN(value))
        {
            return $"tensor '{tensor}' element {index} is NaN";
        }

        if (float.IsInfinity(value))
        {
            return $"tensor '{tensor}' element {index} is {(value > 0 ? "+" : "-")}Infinity";
        }

        return $"tensor '{tensor}' element {index} is {value.ToString("G6", CultureInfo.InvariantCulture)}; magnitudes above {AdapterLimits.MaxAbsoluteValue.ToString("0.#E+0", CultureInfo.InvariantCulture)} are refused";
    }
}
