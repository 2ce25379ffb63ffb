using System.Numerics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.RPC.Fee1559Suggestions;
using Nethereum.Util;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Health;
using OpenLoRA.Chain.Messages;

namespace OpenLoRA.Chain.Submission;

/// <summary>
/// Commits attribution batch roots on-chain from a durable SQLite outbox, exactly once each and in order.
/// Each batch becomes one EIP-1559 commitBatch transaction, signed here and written to the outbox before it is
/// broadcast; the contract's nextBatchId is the source of truth for what is committed, so a restart (or a crash
/// between broadcast and receipt) reconciles instead of sending again. A transaction left unmined for
/// <see cref="ProofSubmitterOptions.ResendAfter"/> is replaced on the same nonce with fees raised by at least
/// 12.5%. While the RPC endpoint is down it retries with exponential backoff (new batches wait for it) and the
/// backlog grows. Every pass also checks the chain against the outbox: batches the outbox holds as committed that
/// the chain no longer has (a reset, a rollback, a dev chain restarted on empty state) are put back to pending and
/// sent again in order, and the contradiction is logged as an error, counted and shown on /health.
/// </summary>
public sealed class ProofSubmitter : BackgroundService
{
    /// <summary>How long a status query waits for the chain before it falls back on the last pass's view.</summary>
    private static readonly TimeSpan StatusReadTimeout = TimeSpan.FromSeconds(2);

    private readonly ProofSubmitterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ProofSubmitter> _logger;
    private readonly OutboxStore _store;
    private readonly Account _account;
    private readonly Web3 _web3;
    private readonly AttributionRegistryClient _registry;
    private readonly NonceOwner _nonces;
    private readonly ChainHealth _health;
    private readonly SemaphoreSlim _cycle = new(1, 1);
    private readonly SemaphoreSlim _initialize = new(1, 1);
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ChainView? _chainView;
    private ulong? _recoverUntil;
    private bool _registryVerified;
    private bool _initialized;
    private long _backlog;

    /// <param name="nonces">The owner of the submitter key's nonces, shared with every other sender from that key
    /// (the epoch settlement); null when this submitter is the key's only user.</param>
    /// <param name="health">Where contradictions with the chain are reported; null keeps them to the log and metric.</param>
    public ProofSubmitter(
        ProofSubmitterOptions options, TimeProvider timeProvider, ILogger<ProofSubmitter> logger, NonceOwner? nonces = null, ChainHealth? health = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = timeProvider;
        _logger = logger;
        _store = new OutboxStore(options.ConnectionString);
        _account = new Account(options.SubmitterPrivateKey, options.ChainId);
        _web3 = new Web3(options.RpcUrl);
        _registry = new AttributionRegistryClient(_web3, options.RegistryAddress);
        _nonces = nonces ?? new NonceOwner(_web3, _account.Address);
        if (!string.Equals(_nonces.Address, _account.Address, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The nonce owner is for another key than the submitter's.", nameof(nonces));
        }

        _health = health ?? new ChainHealth(timeProvider);
    }

    /// <summary>Batches enqueued and not yet committed with the configured confirmations.</summary>
    public long BacklogCount => Interlocked.Read(ref _backlog);

    /// <summary>The submitter's address (must be an authorized submitter of the registry).</summary>
    public string SubmitterAddress => _account.Address;

    /// <summary>Durably queues batch <paramref name="batchId"/> for commitment; idempotent for identical content.</summary>
    public async Task EnqueueAsync(ulong batchId, byte[] root, uint count, byte[] manifestHash, string uri, CancellationToken cancellationToken = default)
    {
        AttributionRegistryClient.CreateCommitBatch(batchId, root, count, manifestHash, uri);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _store.EnqueueAsync(
            new OutboxItem(batchId, root, count, manifestHash, uri, OutboxState.Pending, null, null), _time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        await RefreshBacklogAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Read(ref _wake).TrySetResult();
    }

    /// <summary>One past the highest batch id enqueued so far (batches are enqueued in id order), 0 for an empty outbox.</summary>
    public async Task<ulong> NextUnqueuedBatchIdAsync(CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await _store.NextBatchIdAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where batch <paramref name="batchId"/> stands in the outbox, or null when it was never enqueued.</summary>
    public async Task<BatchCommitStatus?> GetCommitStatusAsync(ulong batchId, CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var item = await _store.GetAsync(batchId, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            return null;
        }

        if (item.State == OutboxState.Committed && await ChainLacksAsync(batchId).ConfigureAwait(false))
        {
            // The outbox has not caught up with a reset or rollback yet; the next pass puts the batch back to pending.
            return new BatchCommitStatus(OutboxState.Pending.ToString().ToLowerInvariant(), null, null);
        }

        var hash = item.CommittedTransactionHash;
        if (hash is null && item.State == OutboxState.Sent)
        {
            var attempts = await _store.GetAttemptsAsync(batchId, cancellationToken).ConfigureAwait(false);
            hash = attempts.Count > 0 ? attempts[^1].TransactionHash : null;
        }

        return new BatchCommitStatus(item.State.ToString().ToLowerInvariant(), hash, item.CommittedBlock);
    }

    /// <summary>Completes when the batch is committed on-chain with the configured confirmations.</summary>
    public async Task<(string? TransactionHash, ulong? Block)> WaitUntilCommittedAsync(ulong batchId, CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var progress = Volatile.Read(ref _progress).Task;
            var item = await _store.GetAsync(batchId, cancellationToken).ConfigureAwait(false);
            switch (item?.State)
            {
                case OutboxState.Committed:
                    return (item.CommittedTransactionHash, item.CommittedBlock);
                case OutboxState.Conflict:
                    throw new InvalidOperationException($"Batch {batchId} was committed on-chain with a different root.");
            }

            await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            // A batch enqueued from here on wakes the next idle wait (never a backoff wait).
            Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            TimeSpan delay;
            var backingOff = false;
            try
            {
                var more = await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                failures = 0;
                delay = more ? TimeSpan.Zero : _options.PollInterval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                delay = RetryDelay(failures);
                backingOff = true;
                _nonces.Invalidate();
                ChainMetrics.TransactionFailures.WithLabels("rpc").Inc();
                SubmitterLog.CycleFailed(_logger, ex, failures, BacklogCount, delay);
            }

            if (delay > TimeSpan.Zero)
            {
                await WaitAsync(delay, wakeOnEnqueue: !backingOff, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One reconcile-and-send pass. True when it changed something and another pass should follow at once.
    /// </summary>
    internal async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _cycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var changed = await RunOnceCoreAsync(cancellationToken).ConfigureAwait(false);
            await RefreshBacklogAsync(cancellationToken).ConfigureAwait(false);
            if (changed)
            {
                Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }

            return changed;
        }
        finally
        {
            _cycle.Release();
        }
    }


    private async Task<bool> RunOnceCoreAsync(CancellationToken cancellationToken)
    {
        var latestBlock = (await _web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().ConfigureAwait(false)).Value;
        if (!_registryVerified && !await RegistryHasCodeAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        ulong latestNext;
        try
        {
            latestNext = await _registry.NextBatchIdAsync(new BlockParameter(new HexBigInteger(latestBlock))).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An empty account answers the call with nothing to decode: say so rather than fail every pass.
            if (!await RegistryHasCodeAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            throw;
        }

        var depth = Math.Max(0, _options.Confirmations - 1);
        var finalNext = depth == 0 || latestBlock < depth
            ? (depth == 0 ? latestNext : 0)
            : await _registry.NextBatchIdAsync(new BlockParameter(new HexBigInteger(latestBlock - depth))).ConfigureAwait(false);

        Volatile.Write(ref _chainView, new ChainView(latestNext, _time.GetUtcNow()));
        if (await ReconcileWithChainAsync(latestNext, cancellationToken).ConfigureAwait(false) is { } blocked)
        {
            return blocked;
        }

        var changed = await ReconcileAsync(finalNext, cancellationToken).ConfigureAwait(false);
        await UpdateHealthAsync(finalNext, cancellationToken).ConfigureAwait(false);

        // Everything in [finalNext, latestNext) is mined and only waiting for confirmations; latestNext is the one
        // batch the contract will accept next, so it is the only one ever in flight.
        var next = await _store.GetAsync(latestNext, cancellationToken).ConfigureAwait(false);
        return next?.State switch
        {
            OutboxState.Pending => await SendNewAsync(next, cancellationToken).ConfigureAwait(false) || changed,
            OutboxState.Sent => await CheckSentAsync(next, cancellationToken).ConfigureAwait(false) || changed,
            _ => changed,
        };
    }

    /// <summary>
    /// Puts back to pending every batch the outbox holds as committed (or sent, or in conflict) at or past the
    /// chain's <paramref name="latestNext"/>: the chain lost them (reset, rollback), so the API must stop calling them
    /// committed and they must be sent again, from <paramref name="latestNext"/> on, in order. Null to go on with the
    /// pass; false when nothing can be sent (the registry has no code: a reset chain before the contracts are
    /// deployed again, where a commit would "succeed" as a plain call to an empty account).
    /// </summary>
    private async Task<bool?> ReconcileWithChainAsync(ulong latestNext, CancellationToken cancellationToken)
    {
        var highest = await _store.HighestCommittedAsync(cancellationToken).ConfigureAwait(false);
        var lost = highest is { } h && h >= latestNext;
        if (!lost)
        {
            // Sent items past the one in flight are left over from before a rollback: their transactions are gone.
            await _store.ReopenFromAsync(latestNext + 1, includeSent: true, cancellationToken).ConfigureAwait(false);
            return null;
        }

        _nonces.Invalidate();
        _registryVerified = false;
        if (!await RegistryHasCodeAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var reopened = await _store.ReopenFromAsync(latestNext, includeSent: false, cancellationToken).ConfigureAwait(false);
        await _store.ReopenFromAsync(latestNext + 1, includeSent: true, cancellationToken).ConfigureAwait(false);
        _recoverUntil = highest;
        // Logged every time: each loss is a separate event (the condition may already be open from an earlier one).
        SubmitterLog.ChainLostBatches(_logger, latestNext, highest!.Value, reopened);
        _health.Report(
            ChainComponents.Submitter,
            "lost",
            $"The chain's nextBatchId is {latestNext} but the outbox had batches up to {highest} committed (a reset or rollback); {reopened} batches are pending again and being resubmitted in order.");
        return true;
    }

    /// <summary>
    /// Whether the registry address holds code. Without it (a chain reset before the contracts are deployed again, or
    /// a wrong address) a commitBatch would "succeed" as a plain call to an empty account, so nothing is sent: every
    /// batch the outbox held as committed goes back to pending and the condition is reported.
    /// </summary>
    private async Task<bool> RegistryHasCodeAsync(CancellationToken cancellationToken)
    {
        var code = await _web3.Eth.GetCode.SendRequestAsync(_options.RegistryAddress).ConfigureAwait(false);
        if (code is { Length: > 2 })
        {
            _registryVerified = true;
            return true;
        }

        var highest = await _store.HighestCommittedAsync(cancellationToken).ConfigureAwait(false);
        var reopened = await _store.ReopenFromAsync(0, includeSent: true, cancellationToken).ConfigureAwait(false);
        _nonces.Invalidate();
        var had = highest is { } h ? $"batches up to {h} were committed there" : "no batch was committed there yet";
        if (_health.Report(
            ChainComponents.Submitter,
            "no_contract",
            $"The registry {_options.RegistryAddress} has no code on chain {_options.ChainId} ({had}; a chain reset or a wrong address); batches are pending and nothing is sent until the contract is there."))
        {
            SubmitterLog.NoRegistryCode(_logger, _options.RegistryAddress, _options.ChainId, had, reopened);
        }

        return false;
    }

    /// <summary>Keeps the submitter's /health detail while lost batches are being resubmitted or a root conflicts.</summary>
    private async Task UpdateHealthAsync(ulong finalNext, CancellationToken cancellationToken)
    {
        if (_recoverUntil is { } until)
        {
            if (finalNext <= until)
            {
                return;
            }

            _recoverUntil = null;
            SubmitterLog.Recovered(_logger, until);
        }

        if (await _store.FirstConflictAsync(cancellationToken).ConfigureAwait(false) is { } conflict)
        {
            _health.Report(
                ChainComponents.Submitter,
                "conflict",
                $"Batch {conflict} is on-chain with a different root than the outbox's; batches after it cannot be committed.");
            return;
        }

        _health.Clear(ChainComponents.Submitter);
    }

    /// <summary>
    /// True when the chain does not hold <paramref name="batchId"/>, read live (at most <see cref="StatusReadTimeout"/>):
    /// the outbox may not have caught up with a reset or rollback yet. A registry without code holds nothing. While
    /// the chain cannot be read the last pass's view stands: an endpoint being down does not mean it lost batches.
    /// </summary>
    private async Task<bool> ChainLacksAsync(ulong batchId)
    {
        var view = Volatile.Read(ref _chainView);
        try
        {
            try
            {
                view = new ChainView(await _registry.NextBatchIdAsync().WaitAsync(StatusReadTimeout).ConfigureAwait(false), _time.GetUtcNow());
            }
            catch (Exception ex) when (ex is not TimeoutException and not RpcClientUnknownException and not RpcClientTimeoutException and not HttpRequestException)
            {
                // The endpoint answered but the call did not decode: an empty account at the registry address.
                var code = await _web3.Eth.GetCode.SendRequestAsync(_options.RegistryAddress).WaitAsync(StatusReadTimeout).ConfigureAwait(false);
                if (code is { Length: > 2 })
                {
                    throw;
                }

                view = new ChainView(0, _time.GetUtcNow());
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SubmitterLog.ChainViewUnavailable(_logger, ex);
        }

        return view is not null && batchId >= view.NextBatchId;
    }

    /// <summary>Marks outbox items the chain already holds as committed, with the tx hash and block of their log.</summary>
    private async Task<bool> ReconcileAsync(ulong finalNext, CancellationToken cancellationToken)
    {
        var unfinished = await _store.GetUnfinishedBelowAsync(finalNext, cancellationToken).ConfigureAwait(false);
        foreach (var item in unfinished)
        {
            var info = await _registry.BatchInfoAsync(item.BatchId).ConfigureAwait(false);
            var log = (await _registry.GetBatchCommittedEventsAsync(info.CommittedBlock, info.CommittedBlock, item.BatchId).ConfigureAwait(false))
                .FirstOrDefault();
            var state = info.Root.AsSpan().SequenceEqual(item.Root) ? OutboxState.Committed : OutboxState.Conflict;
            if (state == OutboxState.Conflict)
            {
                SubmitterLog.RootConflict(_logger, item.BatchId, log?.TransactionHash);
                _health.Report(ChainComponents.Submitter, "conflict",
                    $"Batch {item.BatchId} is on-chain with a different root than the outbox's (tx {log?.TransactionHash}); batches after it cannot be committed.");
            }

            await _store.MarkFinalAsync(item.BatchId, state, log?.TransactionHash, info.CommittedBlock, cancellationToken).ConfigureAwait(false);
            if (state == OutboxState.Committed)
            {
                ChainMetrics.BatchesCommitted.Inc();
                var attempts = await _store.GetAttemptsAsync(item.BatchId, cancellationToken).ConfigureAwait(false);
                if (attempts.Count > 0)
                {
                    ChainMetrics.SubmitLatency.Observe((_time.GetUtcNow() - attempts[0].SentAt).TotalSeconds);
                }
            }
        }

        return unfinished.Count > 0;
    }

    private async Task<bool> SendNewAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var function = CreateFunction(item);
        if (await EstimateGasAsync(function).ConfigureAwait(false) is not { } gas)
        {
            return true;
        }

        var fee = await new SimpleFeeSuggestionStrategy(_web3.Client).SuggestFeeAsync().ConfigureAwait(false);
        await _nonces.SendAsync(
            async (nonce, token) =>
            {
                await SignPersistBroadcastAsync(item, function, gas, nonce, fee.MaxFeePerGas!.Value, fee.MaxPriorityFeePerGas!.Value, token)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return false;
    }

    private async Task<bool> CheckSentAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var attempts = await _store.GetAttemptsAsync(item.BatchId, cancellationToken).ConfigureAwait(false);
        if (attempts.Count == 0)
        {
            await _store.ResetToPendingAsync(item.BatchId, cancellationToken).ConfigureAwait(false);
            return true;
        }

        foreach (var attempt in attempts)
        {
            var receipt = await _web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(attempt.TransactionHash).ConfigureAwait(false);
            if (receipt is null)
            {
                continue;
            }

            if (receipt.Status?.Value != 1)
            {
                // Mined but reverted: the nonce is spent and the batch is not committed, so sign it afresh.
                _logger.LogWarning("commitBatch {BatchId} tx {TransactionHash} reverted; re-sending.", item.BatchId, attempt.TransactionHash);
                ChainMetrics.TransactionFailures.WithLabels("reverted").Inc();
                await _store.ResetToPendingAsync(item.BatchId, cancellationToken).ConfigureAwait(false);
            }

            // Mined: the next pass reads the new nextBatchId and reconciles.
            return true;
        }

        var nonce = attempts[0].Nonce;
        var minedNonce = await _nonces.MinedCountAsync().ConfigureAwait(false);
        if (minedNonce > nonce)
        {
            // The nonce was used, by one of ours (mined since the receipt checks) or by another transaction from
            // this key. Only the contract can tell which.
            if (await _registry.NextBatchIdAsync().ConfigureAwait(false) <= item.BatchId)
            {
                _logger.LogWarning("Nonce {Nonce} of batch {BatchId} was used by another transaction; re-signing.", nonce, item.BatchId);
                await _store.ResetToPendingAsync(item.BatchId, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }

        var last = attempts[^1];
        if (_time.GetUtcNow() - last.SentAt >= _options.ResendAfter)
        {
            // Same gas limit as before: re-estimating would run against the pending block, where this very
            // transaction already took the batch id, and revert.
            var suggested = await new SimpleFeeSuggestionStrategy(_web3.Client).SuggestFeeAsync().ConfigureAwait(false);
            var priority = FeeBump.Bump(last.MaxPriorityFeePerGas, suggested.MaxPriorityFeePerGas ?? 0);
            var maxFee = BigInteger.Max(FeeBump.Bump(last.MaxFeePerGas, suggested.MaxFeePerGas ?? 0), priority);
            _logger.LogInformation("commitBatch {BatchId} unmined after {ResendAfter}; replacing nonce {Nonce} with max fee {MaxFee}.",
                item.BatchId, _options.ResendAfter, nonce, maxFee);
            ChainMetrics.FeeBumps.Inc();
            await _nonces.RunExclusiveAsync(
                async token =>
                {
                    await SignPersistBroadcastAsync(item, CreateFunction(item), last.GasLimit, nonce, maxFee, priority, token).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            return false;
        }

        // Not mined and not due for a bump: make sure the node has it. It will not after a crash between the
        // outbox write and the broadcast, or after the node restarted and lost its pool.
        if (await _web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(last.TransactionHash).ConfigureAwait(false) is null)
        {
            if (nonce > await _nonces.PendingCountAsync().ConfigureAwait(false))
            {
                // Past the key's next nonce (the chain went back: a rollback or reset): it would wait in the pool
                // for a gap that never fills, so sign the batch afresh with a nonce the chain can take.
                SubmitterLog.NonceGap(_logger, item.BatchId, nonce);
                _nonces.Invalidate();
                await _store.ResetToPendingAsync(item.BatchId, cancellationToken).ConfigureAwait(false);
                return true;
            }

            _logger.LogInformation("Re-broadcasting commitBatch {BatchId} tx {TransactionHash}.", item.BatchId, last.TransactionHash);
            await _nonces.RunExclusiveAsync(
                async _ =>
                {
                    await BroadcastAsync(last.RawTransaction).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private async Task SignPersistBroadcastAsync(
        OutboxItem item, CommitBatchFunction function, BigInteger gas, ulong nonce, BigInteger maxFee, BigInteger priorityFee,
        CancellationToken cancellationToken)
    {
        var input = function.CreateTransactionInput(_options.RegistryAddress);
        input.From = _account.Address;
        input.Gas = new HexBigInteger(gas);
        input.Nonce = new HexBigInteger(nonce);
        input.MaxFeePerGas = new HexBigInteger(maxFee);
        input.MaxPriorityFeePerGas = new HexBigInteger(priorityFee);
        input.Type = new HexBigInteger(2);
        input.Value = new HexBigInteger(0);
        input.ChainId = new HexBigInteger(_options.ChainId);

        var raw = new AccountOfflineTransactionSigner().SignTransaction(_account, input, _options.ChainId).EnsureHexPrefix();
        var hash = Sha3Keccack.Current.CalculateHash(raw.HexToByteArray()).ToHex(true);
        await _store.AddAttemptAsync(
            new OutboxAttempt(item.BatchId, nonce, hash, raw, gas, maxFee, priorityFee, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("commitBatch {BatchId} signed as {TransactionHash} (nonce {Nonce}).", item.BatchId, hash, nonce);
        ChainMetrics.TransactionsSent.Inc();
        if (_options.BroadcastAfterPersist)
        {
            await BroadcastAsync(raw).ConfigureAwait(false);
        }
    }

    private async Task BroadcastAsync(string raw)
    {
        try
        {
            await _web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(raw).ConfigureAwait(false);
        }
        catch (RpcResponseException ex) when (IsHarmlessRebroadcast(ex.Message))
        {
            // The node already has it, or it was mined: the receipt checks take it from here.
            _logger.LogDebug(ex, "Broadcast answered: {Message}", ex.Message);
        }
    }

    private static bool IsHarmlessRebroadcast(string message) =>
        message.Contains("already known", StringComparison.OrdinalIgnoreCase)
        || message.Contains("already imported", StringComparison.OrdinalIgnoreCase)
        || message.Contains("nonce too low", StringComparison.OrdinalIgnoreCase)
        || message.Contains("underpriced", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the call would revert because the batch id is no longer next (someone committed it).</summary>
    private async Task<BigInteger?> EstimateGasAsync(CommitBatchFunction function)
    {
        try
        {
            var estimate = await _web3.Eth.GetContractTransactionHandler<CommitBatchFunction>()
                .EstimateGasAsync(_options.RegistryAddress, function).ConfigureAwait(false);

            // 20% headroom: the estimate is taken against the latest state, and a longer uri costs more calldata.
            return estimate.Value * 6 / 5;
        }
        catch (SmartContractCustomErrorRevertException ex)
        {
            var revert = RevertDecoder.Decode(ex);
            if (revert.ErrorName == "UnexpectedBatchId")
            {
                return null;
            }

            throw revert;
        }
    }

    private CommitBatchFunction CreateFunction(OutboxItem item)
    {
        var function = AttributionRegistryClient.CreateCommitBatch(item.BatchId, item.Root, item.Count, item.ManifestHash, item.Uri);
        function.FromAddress = _account.Address;
        return function;
    }

    private async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _initialized))
        {
            return;
        }

        await _initialize.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _initialized, true);
                await RefreshBacklogAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _initialize.Release();
        }
    }

    private async Task RefreshBacklogAsync(CancellationToken cancellationToken)
    {
        var backlog = await _store.CountUnfinishedAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _backlog, backlog);
        ChainMetrics.Backlog.Set(backlog);
    }

    private TimeSpan RetryDelay(int failures)
    {
        var exponent = Math.Min(failures - 1, 16);
        var delay = _options.PollInterval * Math.Pow(2, exponent);
        return delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay;
    }

    /// <summary>
    /// Waits for <paramref name="delay"/> on the injected clock, or, when <paramref name="wakeOnEnqueue"/>, less if a
    /// batch is enqueued. A retry backoff is never cut short: each sealed batch used to wake the loop, so an outage
    /// of 60 s saw 34 RPC attempts while the log promised one every 30 s.
    /// </summary>
    private async Task WaitAsync(TimeSpan delay, bool wakeOnEnqueue, CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(delay, _time, stop.Token);
        var woken = wakeOnEnqueue ? await Task.WhenAny(timer, Volatile.Read(ref _wake).Task).ConfigureAwait(false) : timer;
        if (woken == timer)
        {
            try
            {
                await timer.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: the loop sees the token.
            }
        }
        else
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

}
