using System.Numerics.Tensors;
using OpenLoRA.Gguf;
using OpenLoRA.Gguf.Numerics;
using static OpenLoRA.Engine.Backend.Ggml.GgmlNative;

namespace OpenLoRA.Engine.Backend.Ggml;

/// <summary>An adapter resident in one LoRA slot of the ggml backend.</summary>
internal sealed class GgmlAdapter(string path, int slot, ulong targets) : IBackendAdapter
{
    public string Path { get; } = path;

    public int Slot { get; } = slot;

    /// <summary>Bit <c>projection</c> (0–6, in any layer) per targeted projection; bit 7 is the output head.</summary>
    public ulong TargetMask { get; } = targets;

    public bool Released { get; set; }
}

/// <summary>
/// The resident set's slots: loading an adapter copies its A and B tensors into a free slot of the stacked tensors,
/// padding its rank with zeros up to the slot rank and folding alpha/r into B; unloading frees the slot. Nothing is
/// re-reserved, whatever the number of registered adapters. Loads run on the loader thread while a step computes:
/// a free slot is never read by a step (no token carries its id), so only the free list takes a lock.
/// </summary>
internal sealed unsafe class GgmlLoraSlots(GgmlWeights weights)
{
    public const int OutputBit = 7;

    private readonly Lock _gate = new();
    private readonly Stack<int> _free = new(Enumerable.Range(1, weights.Slots - 1).Reverse());

    /// <summary>Adapter slots (slot 0, the base model, excluded).</summary>
    public int Capacity => weights.Slots - 1;

    public static int TargetBit(int layer, int projection) => layer < 0 ? OutputBit : projection;

    public GgmlAdapter Load(string path)
    {
        // One read of the whole file (adapters are capped by MaxAdapterBytes); tensors are converted from it directly.
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new BackendException($"adapter '{path}' cannot be read: {ex.Message}");
        }

        var (file, pairs, alpha) = ReadPairs(path, bytes);
        int slot;
        lock (_gate)
        {
            if (!_free.TryPop(out slot))
            {
                throw new BackendException($"all {Capacity} LoRA slots of the ggml backend are in use; raise MaxResidentAdapters' slot count or unload adapters.");
            }
        }

        try
        {
            ulong mask = 0;
            var buffers = new SlotBuffers();
            foreach (var pair in pairs)
            {
                // llama.cpp's rule, which is PEFT's scale: alpha / r with its sign (a negative alpha subtracts B·A),
                // and B·A unscaled when alpha is 0 or absent. One meaning on both backends.
                var scale = alpha != 0 ? alpha / pair.Rank : 1f;
                CopyPair(bytes, file, pair, slot, scale, buffers);
                mask |= 1UL << TargetBit(pair.Layer, pair.Projection);
            }

            // Targets the adapter does not have must read as zero in this slot (a previous tenant's data is still there).
            ClearUntargeted(slot, pairs);
            weights.SlotRanks[slot] = pairs.Max(pair => pair.Rank);
            return new GgmlAdapter(path, slot, mask);
        }
        catch
        {
            Release(slot);
            throw;
        }
    }

    public void Unload(GgmlAdapter adapter)
    {
        if (adapter.Released)
        {
            return;
        }

        adapter.Released = true;
        Release(adapter.Slot);
    }

    private void Release(int slot)
    {
        lock (_gate)
        {
            _free.Push(slot);
        }
    }

    private (GgufFile File, List<Pair> Pairs, float Alpha) ReadPairs(string path, byte[] bytes)
    {
        GgufFile file;
        try
        {
            file = GgufReader.Read(new MemoryStream(bytes, writable: false));
        }
        catch (Exception ex) when (ex is GgufFormatException or IOException)
        {
            throw new BackendException($"adapter '{path}' cannot be read: {ex.Message}");
        }

        var alpha = file.TryGetValue("adapter.lora.alpha", out var value) && value.TryGet<float>(out var a) && float.IsFinite(a) ? a : 0f;
        var config = weights.Config;
        var pairs = new List<Pair>();
        foreach (var tensor in file.Tensors)
        {
            if (!tensor.Name.EndsWith(".weight.lora_a", StringComparison.Ordinal))
            {
                if (!tensor.Name.EndsWith(".weight.lora_b", StringComparison.Ordinal))
                {
                    throw new BackendException($"adapter tensor {tensor.Name} is not a LoRA A/B tensor.");
                }

                continue;
            }

            var stem = tensor.Name[..^".weight.lora_a".Length];
            var (layer, projection) = ParseTarget(stem, config.Layers);
            if (!file.TryGetTensor(stem + ".weight.lora_b", out var b))
            {
                throw new BackendException($"adapter tensor {tensor.Name} has no lora_b.");
            }

            var target = layer < 0 ? GgmlLlamaConfig.OutputTarget : GgmlLlamaConfig.Projections[projection];
            var (input, output) = config.TargetShape(target);
            if (tensor.Dimensions.Count != 2 || b.Dimensions.Count != 2 || tensor.Dimensions[0] != input || b.Dimensions[1] != output
                || tensor.Dimensions[1] != b.Dimensions[0] || tensor.Dimensions[1] < 1)
            {
                throw new BackendException($"adapter tensors {stem} are {tensor.ShapeText} and {b.ShapeText}, which do not fit [{input}, {output}].");
            }

            var rank = (int)tensor.Dimensions[1];
            if (rank > weights.SlotRank)
            {
                throw new BackendException($"adapter rank {rank} on {stem} exceeds the ggml backend's slot rank {weights.SlotRank} (OpenLoRA:Engine:BaseModels:N:LoraSlotRank).");
            }

            if (tensor.Type is not (GgmlType.F32 or GgmlType.F16 or GgmlType.BF16) || b.Type is not (GgmlType.F32 or GgmlType.F16 or GgmlType.BF16))
            {
                throw new BackendException($"adapter tensors {stem} have types {tensor.Type}/{b.Type}; only F32, F16 and BF16 are loaded.");
            }

            if (file.DataOffset + Math.Max(tensor.Offset + tensor.ByteSize, b.Offset + b.ByteSize) > bytes.Length || tensor.Offset < 0 || b.Offset < 0)
            {
                throw new BackendException($"adapter tensors {stem} lie outside the file.");
            }

            pairs.Add(new Pair(layer, projection, rank, tensor, b));
        }

        if (pairs.Count == 0)
        {
            throw new BackendException($"adapter '{path}' has no LoRA tensors.");
        }

        return (file, pairs, alpha);
    }

    private static (int Layer, int Projection) ParseTarget(string stem, int layers)
    {
        if (stem == "output")
        {
            return (-1, -1);
        }

        var parts = stem.Split('.');
        if (parts.Length == 3 && parts[0] == "blk" && int.TryParse(parts[1], out var layer) && layer >= 0 && layer < layers)
        {
            var projection = IndexOf(parts[2]);
            if (projection >= 0)
            {
                return (layer, projection);
            }
        }

        throw new BackendException($"adapter target '{stem}' is not one the ggml backend applies (the seven projections of a layer, or output).");
    }

    private static int IndexOf(string projection)
    {
        for (var i = 0; i < GgmlLlamaConfig.Projections.Count; i++)
        {
            if (GgmlLlamaConfig.Projections[i] == projection)
            {
                return i;
            }
        }

        return -1;
    }

    private void CopyPair(byte[] bytes, GgufFile file, Pair pair, int slot, float scale, SlotBuffers buffers)
    {
        var (aTensor, bTensor) = weights.Lora(pair.Layer, pair.Projection);
        var rank = weights.SlotRank;
        var input = (int)pair.A.Dimensions[0];
        var output = (int)pair.B.Dimensions[1];

        // A: rows 0..r-1 of n_in values; rows r..R-1 zero.
        var slotA = buffers.Floats(input * rank);
        TensorElementCodec.Decode(pair.A.Type, Data(bytes, file, pair.A), slotA[..(input * pair.Rank)]);
        slotA[(input * pair.Rank)..].Clear();
        Write(aTensor, slot, slotA, buffers);

        // B: the file's n_out rows of r values, scaled by alpha/r; zero beyond r. Either n_out rows of R values, or
        // transposed (the kernel's layout): R rows of n_out values.
        var fileB = buffers.Scratch(output * pair.Rank);
        TensorElementCodec.Decode(pair.B.Type, Data(bytes, file, pair.B), fileB);
        var slotB = buffers.Floats(rank * output);
        slotB.Clear();
        if (weights.TransposedB)
        {
            for (var row = 0; row < output; row++)
            {
                for (var k = 0; k < pair.Rank; k++)
                {
                    slotB[k * output + row] = fileB[row * pair.Rank + k] * scale;
                }
            }
        }
        else
        {
            for (var row = 0; row < output; row++)
            {
                TensorPrimitives.Multiply(fileB.Slice(row * pair.Rank, pair.Rank), scale, slotB.Slice(row * rank, pair.Rank));
            }
        }

        Write(bTensor, slot, slotB, buffers);
    }

    private static ReadOnlySpan<byte> Data(byte[] bytes, GgufFile file, GgufTensorInfo tensor) =>
        bytes.AsSpan(checked((int)(file.DataOffset + tensor.Offset)), checked((int)tensor.ByteSize));

    private void ClearUntargeted(int slot, List<Pair> pairs)
    {
        var targeted = pairs.Select(pair => (pair.Layer, pair.Projection)).ToHashSet();
        foreach (var (layer, projection) in weights.Targets.Where(target => !targeted.Contains(target)))
        {
            var (a, b) = weights.Lora(layer, projection);
            ClearSlot(a, slot);
            ClearSlot(b, slot);
        }
    }

    private static void ClearSlot(nint stacked, int slot)
    {
        var perSlot = SlotBytes(stacked);
        ggml_backend_tensor_memset(stacked, 0, (nuint)slot * perSlot, perSlot);
    }

    private static nuint SlotBytes(nint stacked) => TensorNb(stacked, 2);

    private void Write(nint stacked, int slot, Span<float> values, SlotBuffers buffers)
    {
        var perSlot = SlotBytes(stacked);
        if ((nuint)values.Length * (nuint)weights.SlotElementBytes != perSlot)
        {
            throw new BackendException($"slot size mismatch: {values.Length} values for {perSlot} bytes.");
        }

        if (weights.SlotType == TypeF32)
        {
            fixed (float* data = values)
            {
                ggml_backend_tensor_set(stacked, data, (nuint)slot * perSlot, perSlot);
            }

            return;
        }

        var halves = buffers.Halves(values.Length);
        TensorPrimitives.ConvertToHalf(values, halves);
        fixed (Half* data = halves)
        {
            ggml_backend_tensor_set(stacked, data, (nuint)slot * perSlot, perSlot);
        }
    }

    /// <summary>Conversion buffers of one load, grown to the largest target and reused across its tensors.</summary>
    private sealed class SlotBuffers
    {
        private float[] _floats = [];
        private float[] _scratch = [];
        private Half[] _halves = [];

        public Span<float> Floats(int count) => Grow(ref _floats, count);

        public Span<float> Scratch(int count) => Grow(ref _scratch, count);

        public Span<Half> Halves(int count) => Grow(ref _halves, count);

        private static Span<T> Grow<T>(ref T[] array, int count)
        {
            if (array.Length < count)
            {
                array = new T[count];
            }

            return array.AsSpan(0, count);
        }
    }

    private sealed record Pair(int Layer, int Projection, int Rank, GgufTensorInfo A, GgufTensorInfo B);
}
