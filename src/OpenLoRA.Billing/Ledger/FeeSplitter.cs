using System.Numerics;
using OpenLoRA.Billing.Accounts;

namespace OpenLoRA.Billing.Ledger;

/// <summary>
/// Divides one charge among publisher, contributors and protocol with exact integer arithmetic, deterministically:
/// <list type="number">
/// <item>publisher = floor(charge · publisherBps / 10000); pool = floor(charge · contributorsBps / 10000).</item>
/// <item>No contributors: the pool goes to the publisher (the adapter's data is, as far as the trace knows, the
/// publisher's own).</item>
/// <item>Otherwise each contributor gets floor(pool · ppm / 1,000,000); a contributor listed twice is merged (ppm
/// summed) first, so the result does not depend on how the list was written.</item>
/// <item>protocol = charge − everything above, so every rounding remainder (at most a few base units) goes to the
/// protocol and the shares always sum to the charge exactly.</item>
/// </list>
/// Zero-amount shares are left out.
/// </summary>
public sealed class FeeSplitter
{
    public const int PpmTotal = 1_000_000;

    private readonly FeeSplitPolicy _policy;
    private readonly string _protocol;

    public FeeSplitter(FeeSplitPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.PublisherBps < 0 || policy.ContributorsBps < 0 || policy.ProtocolBps < 0
            || policy.PublisherBps + policy.ContributorsBps + policy.ProtocolBps != 10_000)
        {
            throw new ArgumentException("The fee split basis points must be non-negative and sum to 10000.", nameof(policy));
        }

        _policy = policy;
        _protocol = EthAddress.Normalize(policy.ProtocolAddress, nameof(policy));
    }

    /// <summary>The shares of <paramref name="charge"/>, publisher first, contributors by address, protocol last.</summary>
    /// <exception cref="ArgumentException">Bad address, negative ppm, or ppm not summing to 1,000,000.</exception>
    public IReadOnlyList<PayeeShare> Split(BigInteger charge, SplitRecipients recipients)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(charge);
        ArgumentNullException.ThrowIfNull(recipients);
        string publisher = EthAddress.Normalize(recipients.Publisher, nameof(recipients));
        SortedDictionary<string, long> contributors = MergeContributors(recipients.Contributors);

        BigInteger publisherAmount = charge * _policy.PublisherBps / 10_000;
        BigInteger pool = charge * _policy.ContributorsBps / 10_000;
        var shares = new List<PayeeShare>(contributors.Count + 2);
        BigInteger paid = publisherAmount;
        if (contributors.Count == 0)
        {
            publisherAmount += pool;
            paid += pool;
        }

        Add(shares, publisher, PayeeRole.Publisher, publisherAmount);
        foreach ((string address, long ppm) in contributors)
        {
            BigInteger amount = pool * ppm / PpmTotal;
            paid += amount;
            Add(shares, address, PayeeRole.Contributor, amount);
        }

        Add(shares, _protocol, PayeeRole.Protocol, charge - paid);
        return shares;
    }

    private static SortedDictionary<string, long> MergeContributors(IReadOnlyList<ContributorShare>? contributors)
    {
        var merged = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (contributors is null || contributors.Count == 0)
        {
            return merged;
        }

        long total = 0;
        foreach (ContributorShare contributor in contributors)
        {
            if (contributor.Ppm < 0)
            {
                throw new ArgumentException($"Contributor {contributor.Address} has a negative ppm score.", nameof(contributors));
            }

            string address = EthAddress.Normalize(contributor.Address, nameof(contributors));
            merged[address] = merged.GetValueOrDefault(address) + contributor.Ppm;
            total += contributor.Ppm;
        }

        if (total != PpmTotal)
        {
            throw new ArgumentException($"Contributor ppm scores must sum to {PpmTotal} (sum to {total}).", nameof(contributors));
        }

        return merged;
    }

    private static void Add(List<PayeeShare> shares, string address, PayeeRole role, BigInteger amount)
    {
        if (amount.Sign > 0)
        {
            shares.Add(new PayeeShare(address, role, amount));
        }
    }
}
