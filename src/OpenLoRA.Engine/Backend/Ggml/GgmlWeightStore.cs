using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using OpenLoRA.Gguf;
using static OpenLoRA.Engine.Backend.Ggml.GgmlNative;

namespace OpenLoRA.Engine.Backend.Ggml;

/// <summary>
/// Where the tensors that outlive a step live, and how the model file's weights get there, placed as llama.cpp's model
/// loader places them: a weight the graph multiplies (mul_mat) goes into the first of the CPU backend's "extra" buffer
/// types whose kernels run that product (CPU_REPACK: the weight is interleaved once at load for the AVX2/NEON GEMM
/// kernels; which types qualify depends on the CPU flavour, docs/GGML-BACKEND.md "Quantized weights"), and everything
/// else (token_embd, read by get_rows; norms; the KV cache and LoRA slots made through <see cref="Context"/>) into the
/// backend's default buffer. One no_alloc context and one backend buffer per buffer type. Weights are set from a
/// read-only memory map of the file, each in one whole-tensor <c>ggml_backend_tensor_set</c>: the repack buffer
/// rearranges a tensor in one go and asserts offset 0 and the tensor's full size (ggml-cpu/repack.cpp).
/// </summary>
internal sealed unsafe class GgmlWeightStore : IDisposable
{
    private const string ExtraBufferTypesFunction = "ggml_backend_dev_get_extra_bufts";

    // llama.cpp's weight_buft_supported asks about a product with a batch of 512 rows.
    private const int ProbeRows = 512;

    private readonly GgufFile _file;
    private readonly string _path;
    private readonly nint _device;
    private readonly int _capacity;
    private readonly List<Placement> _placements = [];
    private readonly Dictionary<(GgmlType Type, long Rows, long Columns), Placement> _choices = [];
    private bool _allocated;

    /// <param name="capacity">The most tensors any one buffer type's context will hold.</param>
    /// <param name="repack">Use the CPU backend's extra buffer types (llama.cpp's default; its <c>--no-repack</c> is false).</param>
    public GgmlWeightStore(GgufFile file, string path, nint backend, int capacity, bool repack)
    {
        _file = file;
        _path = path;
        _capacity = capacity;
        _device = ggml_backend_get_device(backend);
        try
        {
            if (repack && _device != 0 && ggml_backend_is_cpu(backend))
            {
                foreach (var bufferType in ExtraBufferTypes(_device))
                {
                    _placements.Add(NewPlacement(bufferType));
                }
            }

            Default = NewPlacement(ggml_backend_get_default_buffer_type(backend));
            _placements.Add(Default);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The default buffer type's context: tensors created in it (KV cache, LoRA slots) start zeroed.</summary>
    public nint Context => Default.Context;

    private Placement Default { get; } = null!;

    /// <summary>
    /// A tensor of the file's type and shape for <paramref name="info"/>, filled by <see cref="Allocate"/>.
    /// <paramref name="multiplied"/>: the graph uses it only as the weight of a mul_mat, so an extra buffer type may
    /// hold it (a repacked tensor cannot be read by get_rows or any other op).
    /// </summary>
    public nint AddWeight(GgufTensorInfo info, bool multiplied)
    {
        if (_allocated)
        {
            throw new InvalidOperationException("weights are added before the store is allocated.");
        }

        var placement = multiplied && info.Dimensions.Count == 2 ? Choose(info) : Default;
        if (placement.Tensors.Count >= _capacity)
        {
            throw new BackendException($"more than {_capacity} tensors for one buffer type.");
        }

        var tensor = info.Dimensions.Count switch
        {
            1 => ggml_new_tensor_1d(placement.Context, (int)info.Type, info.Dimensions[0]),
            2 => ggml_new_tensor_2d(placement.Context, (int)info.Type, info.Dimensions[0], info.Dimensions[1]),
            _ => throw new BackendException($"tensor {info.Name} is {info.ShapeText}: only 1-D and 2-D weights are supported."),
        };
        if (tensor == 0)
        {
            throw new BackendException($"ggml could not create tensor {info.Name}.");
        }

        ggml_set_name(tensor, info.Name);
        placement.Tensors.Add((info, tensor));
        return tensor;
    }

    /// <summary>Allocates one buffer per buffer type in use, zeroes the default one and copies every weight in.</summary>
    public void Allocate()
    {
        _allocated = true;
        foreach (var placement in _placements)
        {
            if (placement != Default && placement.Tensors.Count == 0)
            {
                continue;
            }

            placement.Buffer = ggml_backend_alloc_ctx_tensors_from_buft(placement.Context, placement.BufferType);
            if (placement.Buffer == 0)
            {
                throw new BackendException($"ggml could not allocate the model's {placement.Name} buffer (out of memory?).");
            }
        }

        // Zero LoRA slots (slot 0 stays zero: the base model) and a defined KV cache.
        ggml_backend_buffer_clear(Default.Buffer, 0);
        Load();
    }

    /// <summary>Each weight's buffer type ("CPU", "CPU_REPACK", "CUDA0", …), by tensor name.</summary>
    public IReadOnlyDictionary<string, string> Placements() =>
        _placements.SelectMany(p => p.Tensors.Select(t => (t.Info.Name, p.Name))).ToDictionary(t => t.Item1, t => t.Item2, StringComparer.Ordinal);

    /// <summary>Each allocated buffer: its type's name, its size and the number of weights from the file in it.</summary>
    public IReadOnlyList<(string BufferType, long Bytes, int Weights)> Buffers() =>
        [.. _placements.Where(p => p.Buffer != 0).Select(p => (p.Name, (long)ggml_backend_buffer_get_size(p.Buffer), p.Tensors.Count))];

    public void Dispose()
    {
        foreach (var placement in _placements)
        {
            if (placement.Buffer != 0)
            {
                ggml_backend_buffer_free(placement.Buffer);
                placement.Buffer = 0;
            }

            if (placement.Context != 0)
            {
                ggml_free(placement.Context);
            }
        }

        _placements.Clear();
    }

    private static List<nint> ExtraBufferTypes(nint device)
    {
        var registry = ggml_backend_dev_backend_reg(device);
        var function = registry == 0 ? 0 : ggml_backend_reg_get_proc_address(registry, ExtraBufferTypesFunction);
        var found = new List<nint>();
        if (function == 0)
        {
            return found;
        }

        // ggml_backend_buffer_type_t * (*)(ggml_backend_dev_t): a null-terminated list owned by the CPU backend.
        var list = ((delegate* unmanaged<nint, nint*>)function)(device);
        for (; list != null && *list != 0; list++)
        {
            found.Add(*list);
        }

        return found;
    }

    private Placement NewPlacement(nint bufferType)
    {
        var context = ggml_init(new InitParams { MemSize = (nuint)_capacity * ggml_tensor_overhead(), NoAlloc = 1 });
        if (context == 0)
        {
            throw new BackendException("ggml_init failed for the model context.");
        }

        return new Placement(bufferType, Marshal.PtrToStringUTF8(ggml_backend_buft_name(bufferType)) ?? "?", context);
    }

    /// <summary>The first extra buffer type whose backend runs this weight's product, else the default (llama.cpp's select_weight_buft).</summary>
    private Placement Choose(GgufTensorInfo info)
    {
        var key = (info.Type, info.Dimensions[0], info.Dimensions[1]);
        if (_choices.TryGetValue(key, out var chosen))
        {
            return chosen;
        }

        chosen = _placements.FirstOrDefault(p => p != Default && SupportsProduct(p.BufferType, info)) ?? Default;
        _choices[key] = chosen;
        return chosen;
    }

    /// <summary>
    /// Whether the device multiplies this weight held in <paramref name="bufferType"/> by an F32 batch, asked as
    /// llama.cpp's weight_buft_supported asks: the product is built in a scratch context and the weight pointed at a
    /// zero-sized buffer of that type, so the extra buffer type's supports_op decides (for CPU_REPACK: a 2-D weight of a
    /// type its kernels interleave, with rows in multiples of the interleave).
    /// </summary>
    private bool SupportsProduct(nint bufferType, GgufTensorInfo info)
    {
        var context = ggml_init(new InitParams { MemSize = 4 * ggml_tensor_overhead(), NoAlloc = 1 });
        if (context == 0)
        {
            return false;
        }

        try
        {
            var weight = ggml_new_tensor_2d(context, (int)info.Type, info.Dimensions[0], info.Dimensions[1]);
            var batch = ggml_new_tensor_2d(context, TypeF32, info.Dimensions[0], ProbeRows);
            var product = ggml_mul_mat(context, weight, batch);
            var probe = ggml_backend_buft_alloc_buffer(bufferType, 0);
            if (probe == 0)
            {
                return false;
            }

            SetTensorBuffer(weight, probe);
            try
            {
                return ggml_backend_dev_supports_op(_device, product);
            }
            finally
            {
                SetTensorBuffer(weight, 0);
                ggml_backend_buffer_free(probe);
            }
        }
        finally
        {
            ggml_free(context);
        }
    }

    private void Load()
    {
        var weights = _placements.SelectMany(p => p.Tensors).OrderBy(t => t.Info.Offset).ToList();
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        using var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        try
        {
            start += view.PointerOffset;
            foreach (var (info, tensor) in weights)
            {
                var bytes = (long)ggml_nbytes(tensor);
                if (bytes != info.ByteSize)
                {
                    throw new BackendException($"tensor {info.Name}: ggml expects {bytes} bytes, the file holds {info.ByteSize}.");
                }

                // The file may have shrunk since it was validated: reading past the mapping would be a SIGBUS.
                var at = _file.DataOffset + info.Offset;
                if (info.Offset < 0 || at + bytes > stream.Length)
                {
                    throw new BackendException($"tensor {info.Name} lies outside the file.");
                }

                ggml_backend_tensor_set(tensor, start + at, 0, (nuint)bytes);
            }
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    private sealed class Placement(nint bufferType, string name, nint context)
    {
        public nint BufferType { get; } = bufferType;

        public string Name { get; } = name;

        public nint Context { get; } = context;

        public List<(GgufTensorInfo Info, nint Tensor)> Tensors { get; } = [];

        public nint Buffer { get; set; }
    }
}
