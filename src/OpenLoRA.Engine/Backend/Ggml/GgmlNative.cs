using System.Runtime.InteropServices;

namespace OpenLoRA.Engine.Backend.Ggml;

/// <summary>
/// The ggml entry points the llama forward pass needs, bound to the very libraries LLamaSharp loaded (see
/// <see cref="GgmlLibrary"/>). Pointers to ggml structs are opaque <see cref="nint"/>s. A failed GGML_ASSERT aborts
/// the process, so every caller validates shapes in C# first (GGML-NOTES.md). Signatures follow ggml.h,
/// ggml-alloc.h, ggml-backend.h and ggml-cpu.h at 815a2a591, the commit the shipped libraries report.
/// </summary>
internal static unsafe partial class GgmlNative
{
    public const string BaseLibrary = "ggml-base";
    public const string CpuLibrary = "ggml-cpu";
    public const string RegistryLibrary = "ggml";

    public const int TypeF32 = 0;
    public const int TypeF16 = 1;
    public const int TypeI32 = 26;
    public const int TypeI64 = 27;

    public const int StatusSuccess = 0;

    /// <summary>ggml_backend_dev_type: CPU = 0, GPU = 1.</summary>
    public const int DeviceTypeGpu = 1;

    // struct ggml_tensor at 815a2a591 (GGML-NOTES.md): type at 0, buffer at 8, ne[4] at 16, nb[4] at 48, data at 248.
    private const int TensorBufferOffset = 8;
    private const int TensorNeOffset = 16;
    private const int TensorNbOffset = 48;
    private const int TensorDataOffset = 248;

    /// <summary>ne[<paramref name="dimension"/>] of a tensor: its size along that dimension.</summary>
    public static long TensorNe(nint tensor, int dimension) => *(long*)(tensor + TensorNeOffset + 8 * dimension);

    /// <summary>nb[<paramref name="dimension"/>] of a tensor: its stride in bytes along that dimension.</summary>
    public static nuint TensorNb(nint tensor, int dimension) => *(nuint*)(tensor + TensorNbOffset + 8 * dimension);

    /// <summary>The tensor's data pointer (host memory on the CPU backend).</summary>
    public static nint TensorData(nint tensor) => *(nint*)(tensor + TensorDataOffset);

    /// <summary>The backend buffer holding the tensor; 0 when no allocator gave it memory.</summary>
    public static nint TensorBuffer(nint tensor) => *(nint*)(tensor + TensorBufferOffset);

    /// <summary>
    /// Points an unallocated tensor at <paramref name="buffer"/> (0 to undo), as llama.cpp's weight_buft_supported
    /// does with a zero-sized buffer so that a backend's supports_op can see which buffer type a weight would live in.
    /// </summary>
    public static void SetTensorBuffer(nint tensor, nint buffer) => *(nint*)(tensor + TensorBufferOffset) = buffer;

    /// <summary>
    /// Throws when an allocated tensor of shape [<paramref name="ne0"/>, <paramref name="ne1"/>] is not laid out as the
    /// accessors above read it (another ggml build): checked against ggml's own getters once at start-up.
    /// </summary>
    public static void CheckTensorLayout(nint tensor, long ne0, long ne1)
    {
        if (TensorNe(tensor, 0) != ne0 || TensorNe(tensor, 1) != ne1 || TensorData(tensor) != ggml_get_data(tensor)
            || TensorBuffer(tensor) == 0 || TensorNb(tensor, 0) != ggml_row_size(*(int*)tensor, 1))
        {
            throw new BackendException("struct ggml_tensor does not have the layout this build of OpenLoRA reads.");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct InitParams
    {
        public nuint MemSize;
        public nint MemBuffer;
        public byte NoAlloc;
    }

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_init(InitParams parameters);

    [LibraryImport(BaseLibrary)]
    public static partial void ggml_free(nint context);

    [LibraryImport(BaseLibrary)]
    public static partial nuint ggml_tensor_overhead();

    [LibraryImport(BaseLibrary)]
    public static partial nuint ggml_graph_overhead_custom(nuint size, [MarshalAs(UnmanagedType.U1)] bool grads);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_new_graph_custom(nint context, nuint size, [MarshalAs(UnmanagedType.U1)] bool grads);

    [LibraryImport(BaseLibrary)]
    public static partial void ggml_build_forward_expand(nint graph, nint tensor);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_new_tensor_1d(nint context, int type, long ne0);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_new_tensor_2d(nint context, int type, long ne0, long ne1);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_new_tensor_3d(nint context, int type, long ne0, long ne1, long ne2);

    [LibraryImport(BaseLibrary)]
    public static partial void ggml_set_input(nint tensor);

    [LibraryImport(BaseLibrary)]
    public static partial void ggml_set_output(nint tensor);

    [LibraryImport(BaseLibrary)]
    public static partial nuint ggml_nbytes(nint tensor);

    [LibraryImport(BaseLibrary)]
    public static partial nuint ggml_row_size(int type, long ne);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_get_data(nint tensor);

    [LibraryImport(BaseLibrary, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ggml_set_name(nint tensor, string name);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_get_rows(nint context, nint a, nint rows);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_rms_norm(nint context, nint a, float eps);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_mul(nint context, nint a, nint b);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_add(nint context, nint a, nint b);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_mul_mat(nint context, nint a, nint b);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_mul_mat_id(nint context, nint stacked, nint b, nint ids);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_silu(nint context, nint a);

    /// <summary>gelu(a) · b (gelu's tanh approximation), the GeGLU of llama.cpp's build_ffn for gemma.</summary>
    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_geglu_split(nint context, nint a, nint b);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_scale(nint context, nint a, float s);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_tanh(nint context, nint a);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_rope_ext(
        nint context, nint a, nint positions, nint frequencyFactors, int dimensions, int mode, int contextOriginal,
        float frequencyBase, float frequencyScale, float extFactor, float attentionFactor, float betaFast, float betaSlow);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_flash_attn_ext(nint context, nint q, nint k, nint v, nint mask, float scale, float maxBias, float logitSoftcap);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_set_rows(nint context, nint destination, nint source, nint rows);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_view_2d(nint context, nint a, long ne0, long ne1, nuint nb1, nuint offset);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_view_3d(nint context, nint a, long ne0, long ne1, long ne2, nuint nb1, nuint nb2, nuint offset);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_reshape_2d(nint context, nint a, long ne0, long ne1);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_reshape_3d(nint context, nint a, long ne0, long ne1, long ne2);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_permute(nint context, nint a, int axis0, int axis1, int axis2, int axis3);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_concat(nint context, nint a, nint b, int dimension);

    /// <summary><paramref name="function"/> is a ggml_custom3_op_t; <paramref name="tasks"/> -1 = every thread.</summary>
    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_map_custom3_inplace(nint context, nint a, nint b, nint c, nint function, int tasks, nint userData);

    [LibraryImport(BaseLibrary)]
    public static partial void ggml_backend_free(nint backend);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_backend_alloc_ctx_tensors(nint context, nint backend);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_backend_alloc_ctx_tensors_from_buft(nint context, nint bufferType);

    [LibraryImport(BaseLibrary)]
    public static partial void ggml_backend_buffer_free(nint buffer);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_backend_buffer_name(nint buffer);

    [LibraryImport(BaseLibrary)]
    public static partial nuint ggml_backend_buffer_get_size(nint buffer);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_backend_buft_alloc_buffer(nint bufferType, nuint size);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_backend_buft_name(nint bufferType);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_backend_get_device(nint backend);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_backend_dev_backend_reg(nint device);

    [LibraryImport(BaseLibrary)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool ggml_backend_dev_supports_op(nint device, nint op);

    /// <summary>A function the backend registry exports by name (0 when it has none), e.g. the CPU backend's
    /// <c>ggml_backend_dev_get_extra_bufts</c>.</summary>
    [LibraryImport(BaseLibrary, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ggml_backend_reg_get_proc_address(nint registry, string name);

    [LibraryImport(BaseLibrary)]
    public static partial void ggml_backend_buffer_clear(nint buffer, byte value);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_backend_get_default_buffer_type(nint backend);

    [LibraryImport(BaseLibrary)]
    public static partial int ggml_backend_graph_compute(nint backend, nint graph);

    [LibraryImport(BaseLibrary)]
    public static partial void ggml_backend_tensor_set(nint tensor, void* data, nuint offset, nuint size);

    [LibraryImport(BaseLibrary)]
    public static partial void ggml_backend_tensor_get(nint tensor, void* data, nuint offset, nuint size);

    [LibraryImport(BaseLibrary)]
    public static partial void ggml_backend_tensor_memset(nint tensor, byte value, nuint offset, nuint size);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_backend_name(nint backend);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_gallocr_new(nint bufferType);

    [LibraryImport(BaseLibrary)]
    public static partial void ggml_gallocr_free(nint allocator);

    [LibraryImport(BaseLibrary)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool ggml_gallocr_alloc_graph(nint allocator, nint graph);

    [LibraryImport(BaseLibrary)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool ggml_gallocr_reserve(nint allocator, nint graph);

    [LibraryImport(CpuLibrary)]
    public static partial nint ggml_backend_cpu_init();

    [LibraryImport(CpuLibrary)]
    public static partial void ggml_backend_cpu_set_n_threads(nint backend, int threads);

    [LibraryImport(CpuLibrary)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool ggml_backend_is_cpu(nint backend);

    [LibraryImport(RegistryLibrary)]
    public static partial nint ggml_backend_init_by_type(int type, byte* parameters);
}
