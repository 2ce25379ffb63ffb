using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Sse;

/// <summary>
/// Server-sent events straight into the response pipe: each event's JSON is serialized by one reused
/// <see cref="Utf8JsonWriter"/> into the pipe's own buffers (no intermediate strings) and flushed at once, so every
/// token reaches the client as soon as it is generated.
/// </summary>
internal sealed class SseWriter : IDisposable
{
    private readonly HttpResponse _response;
    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;

    public SseWriter(HttpResponse response)
    {
        _response = response;
        _pipe = response.BodyWriter;
        _json = new Utf8JsonWriter(_pipe, JsonResponse.WriterOptions);
    }

    /// <summary>Sends the status and headers; from here on errors can only be reported as events.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _response.StatusCode = StatusCodes.Status200OK;
        _response.ContentType = "text/event-stream";
        _response.Headers.CacheControl = "no-cache";

        // Reverse proxies such as nginx otherwise hold the stream back in their own buffers.
        _response.Headers["X-Accel-Buffering"] = "no";
        _response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return _response.StartAsync(cancellationToken);
    }

    /// <summary>Writes <c>data: {json}\n\n</c> and flushes it.</summary>
    public ValueTask WriteAsync<T>(T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        _pipe.Write("data: "u8);
        _json.Reset(_pipe);
        JsonSerializer.Serialize(_json, value, typeInfo);
        _json.Flush();
        _pipe.Write("\n\n"u8);
        return FlushAsync(cancellationToken);
    }

    /// <summary>Writes the OpenAI end-of-stream marker <c>data: [DONE]</c>.</summary>
    public ValueTask WriteDoneAsync(CancellationToken cancellationToken)
    {
        _pipe.Write("data: [DONE]\n\n"u8);
        return FlushAsync(cancellationToken);
    }

    public void Dispose() => _json.Dispose();

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var result = await _pipe.FlushAsync(cancellationToken);
        if (result.IsCanceled || result.IsCompleted)
        {
            // The reading side is gone: stop generating for it.
            throw new ClientDisconnectedException();
        }
    }
}
