using System.Runtime.InteropServices;

namespace OpenLoRA.Engine.Backend.Ggml;

/// <summary>The 4-D entry points <see cref="GgmlBatchedAttention"/> needs (ggml.h at 815a2a591).</summary>
internal static partial class GgmlNative
{
    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_new_tensor_4d(nint context, int type, long ne0, long ne1, long ne2, long ne3);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_reshape_4d(nint context, nint a, long ne0, long ne1, long ne2, long ne3);

    [LibraryImport(BaseLibrary)]
    public static partial nint ggml_view_4d(nint context, nint a, long ne0, long ne1, long ne2, long ne3, nuint nb1, nuint nb2, nuint nb3, nuint offset);

    [LibraryImport(BaseLibrary)]
    public static partial int ggml_graph_n_nodes(nint graph);
}
