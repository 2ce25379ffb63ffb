using System.Numerics;
using OpenLoRA.Billing.Ledger;

namespace OpenLoRA.Billing.Tests.Ledger;

public sealed class FeeSplitterTests
{
    private static readonly FeeSplitter Splitter = new(new FeeSplitPolicy(7000, 2000, 1000, TestBilling.Protocol));

    [Fact]
    public void Split_RoundCharge_ExactBasisPoints()
    {
        var recipients = new SplitRecipients(TestBilling.Publisher,
            [new ContributorShare(TestBilling.Address(1), 750_000), new ContributorShare(TestBilling.Address(2), 250_000)]);

        IReadOnlyList<PayeeShare> shares = Splitter.Split(1_000_000, recipients);

        Assert.Equal(
            [
                new PayeeShare(TestBilling.Publisher, PayeeRole.Publisher, 700_000),
                new PayeeShare(TestBilling.Address(1), PayeeRole.Contributor, 150_000),
                new PayeeShare(TestBilling.Address(2), PayeeRole.Contributor, 50_000),
                new PayeeShare(TestBilling.Protocol, PayeeRole.Protocol, 100_000),
            ],
            shares);
    }

    [Fact]
    public void Split_PpmRemainders_GoToProtocol()
    {
        // charge 10: publisher 7, pool 2; three contributors at 333,334/333,333/333,333 ppm each get floor(2·ppm/1e6) = 0;
        // so the whole pool (2) plus the protocol's 1 goes to the protocol.
        var recipients = new SplitRecipients(TestBilling.Publisher,
        [
            new ContributorShare(TestBilling.Address(1), 333_334),
            new ContributorShare(TestBilling.Address(2), 333_333),
            new ContributorShare(TestBilling.Address(3), 333_333),
        ]);

        IReadOnlyList<PayeeShare> shares = Splitter.Split(10, recipients);

        Assert.Equal(
            [new PayeeShare(TestBilling.Publisher, PayeeRole.Publisher, 7), new PayeeShare(TestBilling.Protocol, PayeeRole.Protocol, 3)],
            shares);
    }

    [Fact]
    public void Split_NoContributors_PoolGoesToPublisher()
    {
        IReadOnlyList<PayeeShare> shares = Splitter.Split(1_001, SplitRecipients.PublisherOnly(TestBilling.Publisher));

        // publisher floor(700.7) + pool floor(200.2) = 900; protocol 1,001 − 900 = 101.
        Assert.Equal(
            [new PayeeShare(TestBilling.Publisher, PayeeRole.Publisher, 900), new PayeeShare(TestBilling.Protocol, PayeeRole.Protocol, 101)],
            shares);
    }

    [Fact]
    public void Split_ManyRandomCharges_SharesSumToChargeExactly()
    {
        var random = new Random(20260301);
        for (int i = 0; i < 2_000; i++)
        {
            BigInteger charge = new BigInteger(random.NextInt64(0, long.MaxValue)) * random.Next(1, 1_000_000) + random.Next();
            int count = random.Next(0, 7);
            var contributors = new List<ContributorShare>();
            int left = FeeSplitter.PpmTotal;
            for (int c = 0; c < count; c++)
            {
                int ppm = c == count - 1 ? left : random.Next(0, left + 1);
                left -= ppm;
                contributors.Add(new ContributorShare(TestBilling.Address(random.Next(1, 5)), ppm));
            }

            IReadOnlyList<PayeeShare> shares = Splitter.Split(charge, new SplitRecipients(TestBilling.Publisher, contributors));

            Assert.Equal(charge, shares.Aggregate(BigInteger.Zero, (sum, s) => sum + s.Amount));
            Assert.All(shares, s => Assert.True(s.Amount.Sign > 0));
            BigInteger protocol = shares.Where(s => s.Role == PayeeRole.Protocol).Aggregate(BigInteger.Zero, (sum, s) => sum + s.Amount);
            Assert.True(protocol >= charge * 1000 / 10_000, "the protocol gets at least its share; remainders only add");
            Assert.True(protocol - charge * 1000 / 10_000 <= count + 2, "remainders are at most a unit per division");
        }
    }

    [Fact]
    public void Split_DuplicateContributor_MergedBeforeDividing()
    {
        var split = new SplitRecipients(TestBilling.Publisher,
        [
            new ContributorShare(TestBilling.Address(1), 500_000),
            new ContributorShare(TestBilling.Address(1).ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal), 500_000),
        ]);

        IReadOnlyList<PayeeShare> shares = Splitter.Split(10_000, split);

        Assert.Equal(new PayeeShare(TestBilling.Address(1), PayeeRole.Contributor, 2_000), shares.Single(s => s.Role == PayeeRole.Contributor));
    }

    [Theory]
    [InlineData(999_999)]
    [InlineData(1_000_001)]
    public void Split_PpmNotSummingToMillion_Throws(int ppm)
    {
        var split = new SplitRecipients(TestBilling.Publisher, [new ContributorShare(TestBilling.Address(1), ppm)]);

        Assert.Throws<ArgumentException>(() => Splitter.Split(100, split));
    }

    [Fact]
    public void Constructor_BasisPointsNotSummingTo10000_Throws()
    {
        Assert.Throws<ArgumentException>(() => new FeeSplitter(new FeeSplitPolicy(7000, 2000, 999, TestBilling.Protocol)));
    }
}
