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

    // The client promises more bytes than it sends and stops sending: Kestrel sees the body end early.
    [Fact]
    public async Task Upload_BodyShorterThanContentLength_Returns400AndServerKeepsServing()
    {
        var part = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.gguf\"\r\n\r\nGGUF";
        var head = $"POST /v1/adapters HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\n"
            + $"Content-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n";
        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + part));
        client.Client.Shutdown(SocketShutdown.Send);

        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TestTimeouts.Request);

        Assert.StartsWith("HTTP/1.1 400", statusLine);
        await ChatProbe.CompleteAsync(server, TestModels.Adapter);
    }
}
