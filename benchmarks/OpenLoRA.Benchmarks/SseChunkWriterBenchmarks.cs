using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using OpenLoRA.Server.Endpoints.OpenAI;
using OpenLoRA.Server.Sse;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// One streamed chat completion as the server writes it: the role chunk, 64 <c>chat.completion.chunk</c> events
/// with short token deltas, the finish chunk and <c>data: [DONE]</c>, each serialized into the response pipe and
/// flushed. The pipe writes to <see cref="Stream.Null"/>, so only serialization and pipe overhead are measured.
/// One operation is one whole stream (67 events); divide by 64 for a per-token figure.
/// </summary>
[MemoryDiagnoser]
public class SseChunkWriterBenchmarks
{
    private const int Chunks = 64;

    // Typical detokenized pieces, with a quote, a newline and non-ASCII text so JSON escaping is exercised.
    private static readonly string[] Deltas =
        [" The", " adapter", " was", " loaded", " in", " 12", " ms", ".", "\n", " It", " said", " \"", "hello", "\"", " café", " 🙂"];

    private readonly DefaultHttpContext _context = new();
    private readonly ChatGenerationFormat _format = new("chatcmpl-6f1c2a9e4b7d4e0f9a3c5b8d2e1f0a7c", 1_735_689_600, "bench-r16-a");

    [GlobalSetup]
    public void Setup() => _context.Response.Body = Stream.Null;

    [Benchmark]
    public async Task WriteStream()
    {
        using var sse = new SseWriter(_context.Response);
        await _format.WriteStreamStartAsync(sse, CancellationToken.None);
        for (var i = 0; i < Chunks; i++)
        {
            await _format.WriteStreamTextAsync(sse, Deltas[i % Deltas.Length], CancellationToken.None);
        }

        await _format.WriteStreamFinishAsync(sse, "stop", CancellationToken.None);
        await sse.WriteDoneAsync(CancellationToken.None);
    }
}
