using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>Bodies that are not a well-formed upload form: each is a 400, and the server keeps serving.</summary>
[Collection(AdapterServerCollection.Name)]
public sealed class AdapterUploadMalformedTests(AdapterServerFixture server)
{
    private const string Boundary = "test-boundary-7f3a";

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "application/json", "{\"name\":\"x\"}" },
        { "multipart/form-data", "--x\r\n\r\n--x--\r\n" },
        { $"multipart/form-data; boundary={Boundary}", "no boundary line anywhere" },
        { $"multipart/form-data; boundary={Boundary}", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nshort" },
        { $"multipart/form-data; boundary={Boundary}", $"--{Boundary}\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--{Boundary}--\r\n" },
        { $"multipart/form-data; boundary={Boundary}", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.gguf\"\r\n\r\nGGUF\u0003\u0000" },
        { $"multipart/form-data; boundary={Boundary}", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"other\"; filename=\"x.bin\"\r\n\r\nx\r\n--{Boundary}--\r\n" },
        { $"multipart/form-data; boundary={Boundary}", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\na\r\n--{Boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nb\r\n--{Boundary}--\r\n" },
        { $"multipart/form-data; boundary={Boundary}", $"--{Boundary}--\r\n" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Upload_MalformedForm_Returns400(string contentType, string body)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await server.Http.PostAsync("/v1/adapters", content);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest);
        await ChatProbe.CompleteAsync(server, TestModels.Adapter);
    }

    [Fact]
    public async Task Upload_RandomBytesAsMultipart_AllReturn400()
    {
        var random = new Random(20240901);
        for (var i = 0; i < 20; i++)
        {
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            if (i % 2 == 0)
            {
                Encoding.ASCII.GetBytes($"--{Boundary}\r\n").CopyTo(bytes, 0);
            }

            using var content = new ByteArrayContent(bytes);
            content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={Boundary}");
            using var response = await server.Http.PostAsync("/v1/adapters", content);

            await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest);
        }

        await ChatProbe.CompleteAsync(server, TestModels.Adapter);
    }

    // The client promises more bytes than it sends and gives up half-way: Kestrel sees the body end early. Whether
    // the 400 still reaches the half-closed socket or the connection is reset, the server must keep serving and drop
    // the partial temp file.
    [Fact]
    public async Task Upload_BodyEndsBeforeContentLength_ServerKeepsServingAndLeavesNoTempFile()
    {
        var part = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.gguf\"\r\n\r\nGGUF";
        var head = $"POST /v1/adapters HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\n"
            + $"Content-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n";
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + part + new string('x', 8192)));
            client.Client.Shutdown(SocketShutdown.Send);
            var statusLine = await ReadStatusLineAsync(stream);
            Assert.True(statusLine is null || statusLine.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), statusLine);
        }

        await ChatProbe.CompleteAsync(server, TestModels.Adapter);
        await AssertNoTempFilesAsync();
    }

    private static async Task<string?> ReadStatusLineAsync(NetworkStream stream)
    {
        try
        {
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            return await reader.ReadLineAsync().WaitAsync(TestTimeouts.Request);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The server ends the aborted request on its own schedule; wait (bounded) for its temp file to go.</summary>
    private async Task AssertNoTempFilesAsync()
    {
        var data = Path.Combine(server.WorkDirectory, "data");
        using var timeout = new CancellationTokenSource(TestTimeouts.Request);
        while (Directory.EnumerateFiles(data, "upload-*", SearchOption.AllDirectories).Any())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
