using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static OpenLoRA.Engine.Backend.Ggml.GgmlNative;

namespace OpenLoRA.Engine.Backend.Ggml;

/// <summary>
/// The LoRA term of one projection for every token of a step, each with its own adapter slot, as a ggml custom op on
/// the CPU backend: y[:, t] += B[s]·(A[s]·x[:, t]) with s = slot[t] (slot 0, the base model, adds nothing). It runs
/// in place on the projection's output inside the step's graph, on ggml's own worker threads (each takes a contiguous
/// range of tokens). Within a range, tokens of the same slot are handled in blocks: each row of A[s] is dotted with the
/// block's inputs, then each row of the transposed B[s] is added to the block's outputs scaled by those dots, so
/// the adapter's rows are read once per block and every inner loop is a long vector operation (TensorPrimitives).
/// Only the adapter's own rank is computed, so a rank-8 adapter in rank-16 slots costs what it would unpadded.
/// ggml's <c>mul_mat_id</c> spends its time in dot products of length r for the B stage (GGML-NOTES.md: ~5 GFLOP/s);
/// here the inner dimension is n_in or n_out. Measured with DecodeThroughputBenchmarks / PrefillThroughputBenchmarks
/// (README, Step backends).
/// </summary>
internal static unsafe class GgmlLoraKernel
{
    private const int Block = 32;
    /// <summary>Highest slot rank the kernel takes (its per-block dot products live on the worker thread's stack).</summary>
    public const int MaxRank = 256;

    /// <summary>Per target: where its stacked slots are and their shape. Lives in native memory, read by the op.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Arguments
    {
        public float* A;
        public float* TransposedB;
        public int* SlotRanks;
        public int Inputs;
        public int Outputs;
        public int Rank;
    }

    public static nint Function => (nint)(delegate* unmanaged[Cdecl]<nint, nint, nint, nint, int, int, nint, void>)&Run;

    public static Arguments* Allocate(nint a, nint transposedB, int* slotRanks, int inputs, int outputs, int rank)
    {
        if (rank > MaxRank)
        {
            throw new BackendException($"the LoRA kernel supports ranks up to {MaxRank}.");
        }

        var arguments = (Arguments*)NativeMemory.AllocZeroed((nuint)sizeof(Arguments));
        *arguments = new Arguments
        {
            A = (float*)ggml_get_data(a),
            TransposedB = (float*)ggml_get_data(transposedB),
            SlotRanks = slotRanks,
            Inputs = inputs,
            Outputs = outputs,
            Rank = rank,
        };
        return arguments;
    }

    /// <summary>ggml_custom3_op_t: dst (a view of y, in place), a = y, b = x [n_in, T], c = slot ids [T] (i32).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(nint destination, nint y, nint x, nint slots, int thread, int threads, nint userData)
    {
        var arguments = (Arguments*)userData;
        var tokens = TensorNe(destination, 1);
        var outputStride = (long)TensorNb(destination, 1) / sizeof(float);
        var inputStride = (long)TensorNb(x, 1) / sizeof(float);
        var output = (float*)TensorData(destination);
        var input = (float*)TensorData(x);
        var ids = (int*)TensorData(slots);
        var first = tokens * thread / threads;
        var end = tokens * (thread + 1) / threads;
        var rank = arguments->Rank;
        Span<float> dots = stackalloc float[Block * MaxRank];
        while (first < end)
        {
            var slot = ids[first];
            var count = 1;
            while (count < Block && first + count < end && ids[first + count] == slot)
            {
                count++;
            }

            // Slot 0 (the base model) and free slots have rank 0: nothing to add.
            if (arguments->SlotRanks[slot] > 0)
            {
                Apply(arguments, slot, input + first * inputStride, inputStride, output + first * outputStride, outputStride, count, dots[..(rank * count)]);
            }

            first += count;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Apply(Arguments* arguments, int slot, float* input, long inputStride, float* output, long outputStride, int count, Span<float> dots)
    {
        var n = arguments->Inputs;
        var m = arguments->Outputs;
        var stride = arguments->Rank;

        // Rows past the adapter's own rank are zero padding: skipping them makes padding to the slot rank free here.
        var rank = Math.Min(stride, arguments->SlotRanks[slot]);
        var a = arguments->A + (long)slot * n * stride;
        var b = arguments->TransposedB + (long)slot * m * stride;
        for (var k = 0; k < rank; k++)
        {
            var row = new ReadOnlySpan<float>(a + (long)k * n, n);
            for (var t = 0; t < count; t++)
            {
                dots[k * count + t] = TensorPrimitives.Dot(row, new ReadOnlySpan<float>(input + t * inputStride, n));
            }
        }

        for (var k = 0; k < rank; k++)
        {
            var row = new ReadOnlySpan<float>(b + (long)k * m, m);
            for (var t = 0; t < count; t++)
            {
                var scale = dots[k * count + t];
                if (scale != 0f)
                {
                    var target = new Span<float>(output + t * outputStride, m);
                    TensorPrimitives.MultiplyAdd(row, scale, target, target);
                }
            }
        }
    }
}
