namespace OpenLoRA.LoadTest;

/// <summary>One load run: where, what traffic, and where the reports go.</summary>
internal sealed record LoadTestOptions
{
    public required Uri Server { get; init; }

    /// <summary>Models to spread requests over (adapter names); empty means every adapter the server lists.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    public int Requests { get; init; } = 200;

    /// <summary>"open": Poisson arrivals at <see cref="Rate"/>; "closed": <see cref="Concurrency"/> clients back to back.</summary>
    public string Mode { get; init; } = "closed";

    public double Rate { get; init; } = 4;

    public int Concurrency { get; init; } = 8;

    /// <summary>Zipf exponent over the models (0 = uniform).</summary>
    public double ZipfExponent { get; init; } = 1.1;

    public int PromptWordsMin { get; init; } = 8;

    public int PromptWordsMax { get; init; } = 64;

    public int OutputTokensMin { get; init; } = 16;

    public int OutputTokensMax { get; init; } = 64;

    /// <summary>Sends <c>ignore_eos</c> so every request generates exactly its max_tokens (servers that know it).</summary>
    public bool IgnoreEos { get; init; }

    /// <summary>Relative request weights of the tenants (API keys "tenant-0", "tenant-1", …).</summary>
    public IReadOnlyList<double> TenantWeights { get; init; } = [1];

    public int Seed { get; init; } = 42;

    public string ReportPath { get; init; } = "loadtest-report";

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
