using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using OpenLoRA.Chain.Messages;

namespace OpenLoRA.Chain.Clients;

/// <summary>
/// Typed access to InferenceEscrow (and the OPEN token it holds). Transactions are sent from the account the
/// <see cref="IWeb3"/> was built with; reverts surface as <see cref="ContractRevertException"/>.
/// </summary>
public sealed class InferenceEscrowClient
{
    /// <summary>How long a settleEpoch sent through the nonce owner may stay unmined before it counts as failed.</summary>
    private static readonly TimeSpan SettlementReceiptTimeout = TimeSpan.FromMinutes(2);

    private readonly IWeb3 _web3;
    private readonly NonceOwner? _nonces;

    /// <param name="nonces">When given, settleEpoch is signed through it, so it never shares a nonce with the proof
    /// submitter's transactions from the same key.</param>
    public InferenceEscrowClient(IWeb3 web3, string escrowAddress, string tokenAddress, NonceOwner? nonces = null)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentException.ThrowIfNullOrWhiteSpace(escrowAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenAddress);
        _web3 = web3;
        _nonces = nonces;
        Address = escrowAddress;
        TokenAddress = tokenAddress;
    }

    public string Address { get; }

    public string TokenAddress { get; }

    /// <summary>Approves the escrow for <paramref name="amount"/> and deposits it: two transactions.</summary>
    public async Task<ChainTransaction> DepositAsync(BigInteger amount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        var approve = new Nethereum.Contracts.Standards.ERC20.ContractDefinition.ApproveFunction { Spender = Address, Value = amount };
        await ContractCalls.SendAsync(_web3, TokenAddress, approve, cancellationToken).ConfigureAwait(false);
        return await ContractCalls.SendAsync(_web3, Address, new DepositFunction { Amount = amount }, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Operator only: debits users and credits payees for one epoch in a single transaction.</summary>
    public Task<ChainTransaction> SettleEpochAsync(EpochSettlement settlement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        if (settlement.ManifestHash is not { Length: 32 })
        {
            throw new ArgumentException("The manifest hash must be 32 bytes.", nameof(settlement));
        }

        var function = new SettleEpochFunction
        {
            Epoch = settlement.Epoch,
            DebitAccounts = [.. settlement.Debits.Select(d => d.Address)],
            Debits = [.. settlement.Debits.Select(d => d.Amount)],
            Payees = [.. settlement.Credits.Select(c => c.Address)],
            Credits = [.. settlement.Credits.Select(c => c.Amount)],
            ManifestHash = settlement.ManifestHash,
        };
        return _nonces is null
            ? ContractCalls.SendAsync(_web3, Address, function, cancellationToken)
            : ContractCalls.SendAsync(_web3, Address, function, _nonces, SettlementReceiptTimeout, cancellationToken);
    }

    /// <summary>Starts the withdrawal delay for <paramref name="amount"/> of the caller's balance.</summary>
    public Task<ChainTransaction> RequestWithdrawalAsync(BigInteger amount, CancellationToken cancellationToken = default) =>
        ContractCalls.SendAsync(_web3, Address, new RequestWithdrawalFunction { Amount = amount }, cancellationToken);

    /// <summary>Pays out the caller's pending withdrawal; reverts with WithdrawalNotReady before the delay.</summary>
    public Task<ChainTransaction> WithdrawAsync(CancellationToken cancellationToken = default) =>
        ContractCalls.SendAsync(_web3, Address, new WithdrawFunction(), cancellationToken);

    /// <summary>Pays the caller (a payee) everything credited so far.</summary>
    public Task<ChainTransaction> WithdrawEarningsAsync(CancellationToken cancellationToken = default) =>
        ContractCalls.SendAsync(_web3, Address, new WithdrawEarningsFunction(), cancellationToken);

    /// <summary>The account's escrow balance (deposits less settled debits and withdrawals).</summary>
    public Task<BigInteger> BalanceOfAsync(string account) =>
        ContractCalls.QueryAsync<EscrowBalanceOfFunction, BigInteger>(_web3, Address, new EscrowBalanceOfFunction { Account = account });

    public Task<BigInteger> EarningsOfAsync(string payee) =>
        ContractCalls.QueryAsync<EarningsOfFunction, BigInteger>(_web3, Address, new EarningsOfFunction { Payee = payee });

    public Task<ulong> NextEpochAsync() =>
        ContractCalls.QueryAsync<NextEpochFunction, ulong>(_web3, Address, new NextEpochFunction());

    public async Task<PendingWithdrawal> PendingWithdrawalAsync(string account)
    {
        var output = await ContractCalls.QueryObjectAsync<PendingWithdrawalFunction, PendingWithdrawalOutput>(
            _web3, Address, new PendingWithdrawalFunction { Account = account }).ConfigureAwait(false);
        return new PendingWithdrawal(output.Amount, output.AvailableAt);
    }

    /// <summary>The account's OPEN held in its wallet (outside the escrow).</summary>
    public Task<BigInteger> TokenBalanceOfAsync(string account) =>
        _web3.Eth.ERC20.GetContractService(TokenAddress).BalanceOfQueryAsync(account);

    /// <summary>
    /// The escrow's Deposited events in transaction <paramref name="transactionHash"/> as the chain holds it now, or
    /// null when the chain has no successful receipt for it (it never happened here, or was lost to a reset or rollback).
    /// </summary>
    public async Task<IReadOnlyList<DepositedEvent>?> GetDepositsInTransactionAsync(string transactionHash)
    {
        var receipt = await _web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(transactionHash).ConfigureAwait(false);
        if (receipt is null || receipt.Status?.Value != 1)
        {
            return null;
        }

        return receipt.DecodeAllEvents<DepositedEventDto>()
            .Where(l => string.Equals(l.Log.Address, Address, StringComparison.OrdinalIgnoreCase))
            .Select(l => new DepositedEvent(
                l.Event.Account, l.Event.Amount, l.Event.Balance, l.Log.TransactionHash, (ulong)l.Log.BlockNumber.Value, (ulong)l.Log.LogIndex.Value))
            .ToList();
    }

    public async Task<IReadOnlyList<DepositedEvent>> GetDepositedEventsAsync(ulong fromBlock, ulong? toBlock = null, string? account = null)
    {
        var handler = _web3.Eth.GetEvent<DepositedEventDto>(Address);
        var from = new BlockParameter(new HexBigInteger(fromBlock));
        var to = toBlock is { } t ? new BlockParameter(new HexBigInteger(t)) : BlockParameter.CreateLatest();
        var filter = account is null ? handler.CreateFilterInput(from, to) : handler.CreateFilterInput(account, from, to);
        var logs = await handler.GetAllChangesAsync(filter).ConfigureAwait(false);
        return logs.Select(l => new DepositedEvent(
            l.Event.Account, l.Event.Amount, l.Event.Balance, l.Log.TransactionHash, (ulong)l.Log.BlockNumber.Value, (ulong)l.Log.LogIndex.Value)).ToList();
    }
}
