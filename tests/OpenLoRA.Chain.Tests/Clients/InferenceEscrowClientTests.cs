using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Deployment;

namespace OpenLoRA.Chain.Tests.Clients;

[Collection(AnvilCollection.Name)]
public sealed class InferenceEscrowClientTests(AnvilFixture fixture)
{
    private const int UserA = 3;
    private const int UserB = 4;
    private static readonly int[] _payees = [7, 8, 9];
    private static readonly BigInteger _token = AnvilFixture.OneToken;

    [Fact]
    public async Task SettleEpochAsync_TwoUsersThreePayees_MovesExactAmountsAndPayeesWithdraw()
    {
        var deployment = await fixture.DeployAsync();
        await Escrow(deployment, UserA).DepositAsync(100 * _token);
        await Escrow(deployment, UserB).DepositAsync(50 * _token);

        var credits = new[] { 7 * _token, 2 * _token + 1, 3 * _token - 1 };
        var settlement = new EpochSettlement(
            0,
            [new AccountAmount(AnvilFixture.Address(UserA), 8 * _token), new AccountAmount(AnvilFixture.Address(UserB), 4 * _token)],
            [.. _payees.Select((p, i) => new AccountAmount(AnvilFixture.Address(p), credits[i]))],
            Hash("epoch 0 manifest"));
        var operatorEscrow = Escrow(deployment, AnvilFixture.OperatorIndex);
        await operatorEscrow.SettleEpochAsync(settlement);

        Assert.Equal(1UL, await operatorEscrow.NextEpochAsync());
        Assert.Equal(92 * _token, await operatorEscrow.BalanceOfAsync(AnvilFixture.Address(UserA)));
        Assert.Equal(46 * _token, await operatorEscrow.BalanceOfAsync(AnvilFixture.Address(UserB)));
        for (var i = 0; i < _payees.Length; i++)
        {
            var payee = AnvilFixture.Address(_payees[i]);
            Assert.Equal(credits[i], await operatorEscrow.EarningsOfAsync(payee));
            var walletBefore = await operatorEscrow.TokenBalanceOfAsync(payee);
            await Escrow(deployment, _payees[i]).WithdrawEarningsAsync();
            Assert.Equal(walletBefore + credits[i], await operatorEscrow.TokenBalanceOfAsync(payee));
            Assert.Equal(BigInteger.Zero, await operatorEscrow.EarningsOfAsync(payee));
        }

        Assert.Equal(138 * _token, await operatorEscrow.TokenBalanceOfAsync(deployment.EscrowAddress));
        var deposits = await operatorEscrow.GetDepositedEventsAsync(deployment.DeployBlock);
        Assert.Equal([100 * _token, 50 * _token], deposits.Select(d => d.Amount));
        Assert.Single(await operatorEscrow.GetDepositedEventsAsync(deployment.DeployBlock, account: AnvilFixture.Address(UserB)));
    }

    [Fact]
    public async Task SettleEpochAsync_DebitAboveBalance_RevertsWithInsufficientBalance()
    {
        var deployment = await fixture.DeployAsync();
        await Escrow(deployment, UserA).DepositAsync(5 * _token);
        var operatorEscrow = Escrow(deployment, AnvilFixture.OperatorIndex);

        var error = await Assert.ThrowsAsync<ContractRevertException>(() => operatorEscrow.SettleEpochAsync(new EpochSettlement(
            0,
            [new AccountAmount(AnvilFixture.Address(UserA), 6 * _token)],
            [new AccountAmount(AnvilFixture.Address(7), 6 * _token)],
            Hash("manifest"))));

        Assert.Equal("InsufficientBalance", error.ErrorName);
        Assert.Equal(5 * _token, await operatorEscrow.BalanceOfAsync(AnvilFixture.Address(UserA)));
        Assert.Equal(0UL, await operatorEscrow.NextEpochAsync());
    }

    [Fact]
    public async Task SettleEpochAsync_DebitsNotEqualCredits_RevertsWithUnbalancedSettlement()
    {
        var deployment = await fixture.DeployAsync();
        await Escrow(deployment, UserA).DepositAsync(5 * _token);

        var error = await Assert.ThrowsAsync<ContractRevertException>(() => Escrow(deployment, AnvilFixture.OperatorIndex).SettleEpochAsync(
            new EpochSettlement(0, [new AccountAmount(AnvilFixture.Address(UserA), 2 * _token)], [new AccountAmount(AnvilFixture.Address(7), 3 * _token)], Hash("m"))));

        Assert.Equal("UnbalancedSettlement", error.ErrorName);
    }

    [Fact]
    public async Task SettleEpochAsync_WrongEpochOrNotOperator_Reverts()
    {
        var deployment = await fixture.DeployAsync();
        var empty = new EpochSettlement(0, [], [], Hash("m"));
        await Escrow(deployment, AnvilFixture.OperatorIndex).SettleEpochAsync(empty);

        var replay = await Assert.ThrowsAsync<ContractRevertException>(() => Escrow(deployment, AnvilFixture.OperatorIndex).SettleEpochAsync(empty));
        var outsider = await Assert.ThrowsAsync<ContractRevertException>(() => Escrow(deployment, UserA).SettleEpochAsync(empty with { Epoch = 1 }));

        Assert.Equal("UnexpectedEpoch", replay.ErrorName);
        Assert.Equal("NotOperator", outsider.ErrorName);
    }

    [Fact]
    public async Task WithdrawAsync_BeforeDelay_RevertsThenPaysSettledRemainderAfterDelay()
    {
        var deployment = await fixture.DeployAsync(withdrawalDelay: TimeSpan.FromHours(1));
        var user = Escrow(deployment, UserA);
        var userAddress = AnvilFixture.Address(UserA);
        await user.DepositAsync(10 * _token);
        await user.RequestWithdrawalAsync(10 * _token);

        var early = await Assert.ThrowsAsync<ContractRevertException>(() => user.WithdrawAsync());
        Assert.Equal("WithdrawalNotReady", early.ErrorName);

        // The requested amount stays settleable until it is paid out.
        await Escrow(deployment, AnvilFixture.OperatorIndex).SettleEpochAsync(new EpochSettlement(
            0, [new AccountAmount(userAddress, 4 * _token)], [new AccountAmount(AnvilFixture.Address(7), 4 * _token)], Hash("m")));

        await fixture.Anvil.IncreaseTimeAsync(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var walletBefore = await user.TokenBalanceOfAsync(userAddress);
        await user.WithdrawAsync();

        Assert.Equal(walletBefore + 6 * _token, await user.TokenBalanceOfAsync(userAddress));
        Assert.Equal(BigInteger.Zero, await user.BalanceOfAsync(userAddress));
        Assert.Equal(BigInteger.Zero, (await user.PendingWithdrawalAsync(userAddress)).Amount);
    }

    [Fact]
    public async Task RequestWithdrawalAsync_AboveBalance_RevertsWithInsufficientBalance()
    {
        var deployment = await fixture.DeployAsync();
        var user = Escrow(deployment, UserB);
        await user.DepositAsync(1 * _token);

        var error = await Assert.ThrowsAsync<ContractRevertException>(() => user.RequestWithdrawalAsync(2 * _token));

        Assert.Equal("InsufficientBalance", error.ErrorName);
    }

    private InferenceEscrowClient Escrow(ChainDeployment deployment, int devIndex) =>
        new(fixture.Web3For(devIndex), deployment.EscrowAddress, deployment.TokenAddress);

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
