using System.Globalization;
using System.Net;
using System.Numerics;
using OpenLoRA.IntegrationTests.Faults;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Billing;

/// <summary>
/// Billing exactness on the real server, its real SQLite file and a real anvil: what is reserved, when a response is
/// charged, and what a client sees when the charge or its trace cannot be written (write failures injected with
/// SQLite triggers that RAISE, as a full or failing disk makes the statement fail).
/// </summary>
[Collection(ExactBillingServerCollection.Name)]
public sealed class BillingExactnessTests(ExactBillingServerFixture server)
{
    private const string RequestIdHeader = "OpenLoRA-Request-Id";
    private static readonly BigInteger OneOpen = BigInteger.Pow(10, 18);

    [Fact]
    public async Task Reserve_MaxTokensFarBeyondTheContext_ReservesOnlyWhatTheContextCanProduce()
    {
        const string prompt = "Reserve only what this can cost.";
        var probe = new BillingApi(server, devAccount: 3);
        await probe.SignInAsync();
        await probe.DepositAsync(100 * OneOpen);

        // max_tokens 10^9 on a 4096-token context: the generation stops when the context is full.
        using var first = await probe.ChatAsync(TestModels.BaseModel, prompt, 1_000_000_000);
        var usage = (await BillingApi.Json(first, HttpStatusCode.OK)).GetProperty("usage");
        var promptTokens = usage.GetProperty("prompt_tokens").GetInt32();
        Assert.Equal(ExactBillingServerFixture.ContextSize - promptTokens + 1, usage.GetProperty("completion_tokens").GetInt32());

        // What was reserved is exactly what the response cost: the reservation was for what the context can produce.
        var requestId = first.Headers.GetValues(RequestIdHeader).Single();
        var reserved = Units(server.Scalar("SELECT amount FROM billing_reservations WHERE request_id = @id", ("@id", requestId)));
        var charged = Units(server.Scalar("SELECT amount FROM billing_charges WHERE request_id = @id", ("@id", requestId)));
        Assert.Equal(reserved, charged);

        // An account holding exactly that amount can send the same request (it was refused with 402 when a
        // billion tokens were reserved), and is left with nothing.
        var exact = new BillingApi(server, devAccount: 4);
        await exact.SignInAsync();
        await exact.DepositAsync(charged);
        using (var second = await exact.ChatAsync(TestModels.BaseModel, prompt, 1_000_000_000))
        {
            await BillingApi.Json(second, HttpStatusCode.OK);
        }

        var account = await exact.AccountAsync();
        Assert.Equal(BigInteger.Zero, BillingApi.Units(account.GetProperty("balance")));
        Assert.Equal(BigInteger.Zero, BillingApi.Units(account.GetProperty("reserved")));
    }

    [Fact]
    public async Task Stream_TraceWriteFails_ClientGetsSettlementFailedAndNoChargePointsAtAMissingTrace()
    {
        var user = new BillingApi(server, devAccount: 5);
        await user.SignInAsync();
        await user.DepositAsync(10 * OneOpen);

        PaidStream stream;
        using (server.FailInsertsInto("attribution_traces"))
        {
            stream = await PaidStream.ReadAsync(user, TestModels.Adapter, "Trace this if you can.", 8);

            // The early-end charge is written after the error event went out.
            Assert.Equal("settled", await WaitUntilResolvedAsync(stream.RequestId!));
        }

        // Every content chunk arrived; instead of the finish chunk and [DONE] the client got the error event.
        Assert.True(stream.Ending == PaidStream.Error, $"stream ended '{stream.Ending}'{Environment.NewLine}{server.RecentOutput}");
        Assert.Equal("settlement_failed", stream.ErrorCode);
        Assert.False(stream.SawFinishReason);
        Assert.True(stream.ContentChunks > 0);
        Assert.NotNull(stream.TraceId);
        Assert.NotNull(stream.RequestId);

        // The complete response's charge rolled back with its trace: nothing names the trace that was never written.
        // The tokens the client received are charged by the early-end rule (publisher only, no trace).
        Assert.Equal(0L, server.Scalar("SELECT COUNT(*) FROM attribution_traces WHERE id = @id", ("@id", stream.TraceId!)));
        Assert.Equal(0L, server.Scalar("SELECT COUNT(*) FROM billing_charges WHERE trace_id = @id", ("@id", stream.TraceId!)));
        Assert.Equal(1L, server.Scalar("SELECT COUNT(*) FROM billing_charges WHERE request_id = @id AND trace_id IS NULL", ("@id", stream.RequestId!)));
        await AuditAsync(user, stream);
    }

    [Fact]
    public async Task Chat_TraceWriteFails_Returns500SettlementFailedAndChargesNothing()
    {
        var user = new BillingApi(server, devAccount: 6);
        await user.SignInAsync();
        await user.DepositAsync(10 * OneOpen);

        HttpResponseMessage response;
        using (server.FailInsertsInto("attribution_traces"))
        {
            response = await user.ChatAsync(TestModels.Adapter, "Trace this whole answer if you can.", 8);
        }

        using (response)
        {
            await ErrorAssert.IsErrorAsync(response, HttpStatusCode.InternalServerError, code: "settlement_failed", type: "server_error");
            // An error response is cleared of the success path's headers; the account's only reservation is this one.
            var requestId = (string)server.Scalar("SELECT request_id FROM billing_reservations WHERE address = @address", ("@address", user.Address))!;

            // Nothing of the response left the server, so nothing is charged and the reservation went back.
            Assert.Equal(0L, server.Scalar("SELECT COUNT(*) FROM billing_charges WHERE request_id = @id", ("@id", requestId)));
            Assert.Equal("released", server.Scalar("SELECT state FROM billing_reservations WHERE request_id = @id", ("@id", requestId)));
        }

        var account = await user.AccountAsync();
        Assert.Equal(10 * OneOpen, BillingApi.Units(account.GetProperty("balance")));
    }

    [Fact]
    public async Task Stream_ChargeCannotBeWritten_ClientGetsAnErrorEventAndNoCompleteOutputGoesUnpaid()
    {
        var user = new BillingApi(server, devAccount: 7);
        await user.SignInAsync();
        await user.DepositAsync(10 * OneOpen);

        PaidStream stream;
        using (server.FailInsertsInto("billing_charges"))
        {
            stream = await PaidStream.ReadAsync(user, TestModels.Adapter, "Charge me if the disk lets you.", 8);

            // The early-end charge is tried after the error event went out; the failure stays until it was refused too.
            await WaitUntilLoggedAsync($"Could not settle request {stream.RequestId} that ended early");
        }

        // The content went out, the finish chunk and [DONE] were held back, and the error event came instead: the
        // client never holds a complete response that is not paid.
        Assert.True(stream.Ending == PaidStream.Error, $"stream ended '{stream.Ending}'{Environment.NewLine}{server.RecentOutput}");
        Assert.Equal("settlement_failed", stream.ErrorCode);
        Assert.False(stream.SawFinishReason);
        Assert.True(stream.ContentChunks > 0);

        // Neither the charge nor its trace exists; the early-end charge failed the same way, so the reservation is
        // still held (the next start resolves it) and the books balance with it.
        Assert.Equal(0L, server.Scalar("SELECT COUNT(*) FROM billing_charges WHERE request_id = @id", ("@id", stream.RequestId!)));
        Assert.Equal(0L, server.Scalar("SELECT COUNT(*) FROM attribution_traces WHERE id = @id", ("@id", stream.TraceId!)));
        Assert.Equal("open", server.Scalar("SELECT state FROM billing_reservations WHERE request_id = @id", ("@id", stream.RequestId!)));
        var account = await user.AccountAsync();
        Assert.True(BillingApi.Units(account.GetProperty("reserved")) > 0);
        await AuditAsync(user, stream);
    }

    [Fact]
    public async Task Stream_ClientLeavesBeforeItsFirstContentChunk_IsNotCharged()
    {
        var holder = new BillingApi(server, devAccount: 8);
        var user = new BillingApi(server, devAccount: 2);
        await holder.SignInAsync();
        await user.SignInAsync();
        await holder.DepositAsync(10 * OneOpen);
        await user.DepositAsync(10 * OneOpen);

        // A client that closes its connection at once, instead of draining the rest of the stream for reuse.
        using var closing = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = server.BaseAddress, Timeout = TestTimeouts.Request };

        // The only sequence slot is taken by a long stream, so the next one waits in the queue with its headers and
        // role chunk sent and no content generated yet.
        using var held = await holder.ChatAsync(TestModels.BaseModel, "Hold the only slot for a while.", ExactBillingServerFixture.ContextSize, stream: true, http: closing);
        using var heldReader = new StreamReader(await held.Content.ReadAsStreamAsync());
        await ReadUntilContentAsync(heldReader);

        string requestId;
        using (var waiting = await user.ChatAsync(TestModels.BaseModel, "Leave before any content.", 64, stream: true, http: closing))
        {
            Assert.Equal(HttpStatusCode.OK, waiting.StatusCode);
            requestId = waiting.Headers.GetValues(RequestIdHeader).Single();
            using var reader = new StreamReader(await waiting.Content.ReadAsStreamAsync());
            var roleChunk = await reader.ReadLineAsync();
            Assert.StartsWith("data: ", roleChunk);
        }

        var state = await WaitUntilResolvedAsync(requestId);
        Assert.Equal("released", state);
        Assert.Equal(0L, server.Scalar("SELECT COUNT(*) FROM billing_charges WHERE request_id = @id", ("@id", requestId)));
        var account = await user.AccountAsync();
        Assert.Equal(10 * OneOpen, BillingApi.Units(account.GetProperty("balance")));
    }

    private async Task AuditAsync(BillingApi user, params PaidStream[] streams)
    {
        var balance = BillingApi.Units((await user.AccountAsync()).GetProperty("balance"));
        LedgerAudit.OfDataDirectory(server.DataDirectory)
            .Run(streams, new Dictionary<string, BigInteger> { [user.Address] = balance })
            .AssertClean(server.RecentOutput);
    }

    private async Task<string> WaitUntilResolvedAsync(string requestId)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Request);
        while (true)
        {
            if (server.Scalar("SELECT state FROM billing_reservations WHERE request_id = @id", ("@id", requestId)) is string state && state != "open")
            {
                return state;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }

    private async Task WaitUntilLoggedAsync(string text)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Request);
        while (!server.RecentOutput.Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }

    private static async Task ReadUntilContentAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"content\":\"\"", StringComparison.Ordinal))
            {
                return;
            }
        }

        throw new InvalidOperationException("The stream ended before its first content chunk.");
    }

    private static BigInteger Units(object? value) =>
        BigInteger.Parse(value as string ?? throw new InvalidOperationException("no such row"), CultureInfo.InvariantCulture);
}
