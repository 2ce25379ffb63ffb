namespace OpenLoRA.Server.Sse;

/// <summary>
/// The client stopped reading a stream. Noticed by a failed flush, which can come before Kestrel signals
/// <see cref="HttpContext.RequestAborted"/>; an ordinary event, not a server error.
/// </summary>
internal sealed class ClientDisconnectedException() : OperationCanceledException("The client stopped reading the stream.");
