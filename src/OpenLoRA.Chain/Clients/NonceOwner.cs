using System.Numerics;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace OpenLoRA.Chain.Clients;

/// <summary>
/// The one owner of a signing key's nonces. The proof submitter and the epoch settlement sign with the same key;
/// each used to read the pending transaction count on its own, so two transactions signed at the same moment got
/// the same nonce and one replaced or lost the other. Every transaction from the key is now signed inside
/// <see cref="SendAsync{T}"/>, one at a time: the nonce is the larger of the node's pending count and the one after
/// the last this owner handed out (a transaction persisted but not yet seen by the node keeps its nonce), and any
/// failure, or <see cref="Invalidate"/> after the chain contradicted us (reset, rollback), makes the next one re-read
/// the count from the chain alone.
/// </summary>
public sealed class NonceOwner
{
    private readonly IWeb3 _web3;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ulong? _next;

    public NonceOwner(IWeb3 web3, string address)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        _web3 = web3;
        Address = address;
    }

    /// <summary>The key's address.</summary>
    public string Address { get; }

    /// <summary>
    /// Runs <paramref name="send"/> with the key's next nonce while no other transaction from the key is being
    /// signed. <paramref name="send"/> signs the transaction and hands it to the node (or persists it for a later
    /// broadcast); when it returns the nonce counts as used, when it throws the count is re-read next time.
    /// </summary>
    public async Task<T> SendAsync<T>(Func<ulong, CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = (ulong)(await _web3.Eth.Transactions.GetTransactionCount
                .SendRequestAsync(Address, BlockParameter.CreatePending()).ConfigureAwait(false)).Value;
            var nonce = _next is { } tracked && tracked > pending ? tracked : pending;
            _next = null;
            var result = await send(nonce, cancellationToken).ConfigureAwait(false);
            _next = nonce + 1;
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="action"/> (a re-broadcast, a replacement on a nonce already owned) while no
    /// other transaction from the key is being signed; it takes no new nonce.</summary>
    public async Task<T> RunExclusiveAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _next = null;
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the tracked nonce: the next transaction takes the chain's pending count.</summary>
    public void Invalidate()
    {
        // A racing SendAsync sets _next after this; it is at most one ahead of a count it just read, so harmless.
        _next = null;
    }

    /// <summary>The chain's count of mined transactions from the key (its next nonce once the pool is empty).</summary>
    public async Task<BigInteger> MinedCountAsync() =>
        (await _web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(Address, BlockParameter.CreateLatest()).ConfigureAwait(false)).Value;

    /// <summary>The node's count including its pool: a nonce at or above it that the node does not hold can never be mined.</summary>
    public async Task<BigInteger> PendingCountAsync() =>
        (await _web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(Address, BlockParameter.CreatePending()).ConfigureAwait(false)).Value;
}
