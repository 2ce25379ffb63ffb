using System.Globalization;
using Nethereum.Util;
using OpenLoRA.Attribution.Datanets;
using OpenLoRA.Attribution.Scoring;

namespace OpenLoRA.Attribution.Traces;

/// <summary>
/// Canonical bytes of a trace and its hash. Canonical JSON was chosen over ABI encoding because traces hold
/// variable-length lists of strings (record ids) and are read by people and off-chain validators; the chain only
/// sees the keccak256 hash as a Merkle leaf value. Rules: fields in the fixed order below, no whitespace,
/// integers as JSON numbers (all fit in 2^53) except span weights (u64) which are decimal strings, hashes and
/// addresses as 0x + lowercase hex, absent optional values as null, strings escaped as in RFC 8785.
/// <code>
/// {"version":1,"traceId":…,"createdAtUnixMs":…,"baseModelHash":…,"adapterSha256":…,"publisher":…,
///  "datanetRoot":…|null,"requestHash":…,"generatedTokensHash":…,"promptTokens":…,"completionTokens":…,
///  "method":{"name":…,"minSpanTokens":…,"maxSpanTokens":…,"maxOccurrencesPerSpan":…,"basis":"none|spans|static-shares"},
///  "spans":[{"start":…,"length":…,"occurrences":…,"weight":"…","records":[…]}],
///  "contributors":[{"address":…,"ppm":…}],
///  "charge":{"amount":"…","currency":"…"}|null}
/// </code>
/// The trace hash is keccak256 of these bytes, so Solidity can use it directly as a bytes32 leaf value.
/// </summary>
public static class TraceEncoder
{
    public const int FormatVersion = 1;

    public static byte[] Encode(AttributionTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (!TraceIds.IsValid(trace.TraceId)) throw Invalid(nameof(trace.TraceId), "must be 32 lowercase hex chars");
        if (trace.CreatedAtUnixMs < 0) throw Invalid(nameof(trace.CreatedAtUnixMs), "must not be negative");
        if (trace.PromptTokens < 0) throw Invalid(nameof(trace.PromptTokens), "must not be negative");
        if (trace.CompletionTokens < 0) throw Invalid(nameof(trace.CompletionTokens), "must not be negative");
        if (string.IsNullOrEmpty(trace.Method)) throw Invalid(nameof(trace.Method), "must not be empty");
        ArgumentNullException.ThrowIfNull(trace.Parameters);
        ArgumentNullException.ThrowIfNull(trace.Spans);
        ArgumentNullException.ThrowIfNull(trace.Contributors);

        var w = new CanonicalJsonWriter();
        w.StartObject();
        w.Name("version"); w.Number(FormatVersion);
        w.Name("traceId"); w.String(trace.TraceId);
        w.Name("createdAtUnixMs"); w.Number(trace.CreatedAtUnixMs);
        w.Name("baseModelHash"); w.String(Hash32(trace.BaseModelHash, nameof(trace.BaseModelHash)));
        w.Name("adapterSha256"); w.String(Hash32(trace.AdapterSha256, nameof(trace.AdapterSha256)));
        w.Name("publisher"); w.String(Address(trace.Publisher, nameof(trace.Publisher)));
        w.Name("datanetRoot"); w.String(trace.DatanetRoot is null ? null : Hash32(trace.DatanetRoot, nameof(trace.DatanetRoot)));
        w.Name("requestHash"); w.String(Hash32(trace.RequestHash, nameof(trace.RequestHash)));
        w.Name("generatedTokensHash"); w.String(Hash32(trace.GeneratedTokensHash, nameof(trace.GeneratedTokensHash)));
        w.Name("promptTokens"); w.Number(trace.PromptTokens);
        w.Name("completionTokens"); w.Number(trace.CompletionTokens);

        w.Name("method");
        w.StartObject();
        w.Name("name"); w.String(trace.Method);
        w.Name("minSpanTokens"); w.Number(trace.Parameters.MinSpanTokens);
        w.Name("maxSpanTokens"); w.Number(trace.Parameters.MaxSpanTokens);
        w.Name("maxOccurrencesPerSpan"); w.Number(trace.Parameters.MaxOccurrencesPerSpan);
        w.Name("basis"); w.String(BasisName(trace.Basis));
        w.EndObject();

        w.Name("spans");
        w.StartArray();
        foreach (AttributedSpan span in trace.Spans)
        {
            if (span.Start < 0 || span.Length < 1 || span.Occurrences < 1) throw Invalid(nameof(trace.Spans), $"span {span.Start}+{span.Length} is invalid");
            w.StartObject();
            w.Name("start"); w.Number(span.Start);
            w.Name("length"); w.Number(span.Length);
            w.Name("occurrences"); w.Number(span.Occurrences);
            w.Name("weight"); w.String(span.Weight.ToString(CultureInfo.InvariantCulture));
            w.Name("records");
            w.StartArray();
            foreach (string id in span.RecordIds) w.String(id);
            w.EndArray();
            w.EndObject();
        }
        w.EndArray();

        w.Name("contributors");
        w.StartArray();
        long totalPpm = 0;
        foreach (ContributorShare share in trace.Contributors)
        {
            if (share.Ppm is < 0 or > PpmAllocator.Million) throw Invalid(nameof(trace.Contributors), $"ppm {share.Ppm} out of range");
            totalPpm += share.Ppm;
            w.StartObject();
            w.Name("address"); w.String(Address(share.Address, nameof(trace.Contributors)));
            w.Name("ppm"); w.Number(share.Ppm);
            w.EndObject();
        }
        w.EndArray();
        if (trace.Contributors.Count > 0 && totalPpm != PpmAllocator.Million)
            throw Invalid(nameof(trace.Contributors), $"ppm sum to {totalPpm}, not {PpmAllocator.Million}");

        w.Name("charge");
        if (trace.Charge is null)
        {
            w.Null();
        }
        else
        {
            if (!IsCanonicalAmount(trace.Charge.Amount)) throw Invalid(nameof(trace.Charge), $"amount '{trace.Charge.Amount}' is not a canonical non-negative integer");
            if (string.IsNullOrEmpty(trace.Charge.Currency)) throw Invalid(nameof(trace.Charge), "currency must not be empty");
            w.StartObject();
            w.Name("amount"); w.String(trace.Charge.Amount);
            w.Name("currency"); w.String(trace.Charge.Currency);
            w.EndObject();
        }
        w.EndObject();
        return w.ToUtf8();
    }

    /// <summary>keccak256 of the canonical bytes.</summary>
    public static byte[] Hash(AttributionTrace trace) => Sha3Keccack.Current.CalculateHash(Encode(trace));

    public static string HashHex(AttributionTrace trace) => "0x" + Convert.ToHexStringLower(Hash(trace));

    internal static string BasisName(AttributionBasis basis) => basis switch
    {
        AttributionBasis.None => "none",
        AttributionBasis.Spans => "spans",
        AttributionBasis.StaticShares => "static-shares",
        _ => throw new ArgumentOutOfRangeException(nameof(basis), basis, "Unknown attribution basis."),
    };

    private static string Hash32(string? value, string field)
    {
        if (value is not { Length: 66 } || !value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !HexText.IsHex(value.AsSpan(2)))
            throw Invalid(field, $"'{value}' is not 0x + 64 hex digits");
        return "0x" + value![2..].ToLowerInvariant();
    }

    private static string Address(string? value, string field)
    {
        if (!EthereumAddress.TryNormalize(value, out string? normalized, out string error)) throw Invalid(field, $"'{value}': {error}");
        return normalized.ToLowerInvariant();
    }

    private static bool IsCanonicalAmount(string? amount) =>
        amount is { Length: > 0 and <= 78 } && amount.All(char.IsAsciiDigit) && (amount.Length == 1 || amount[0] != '0');

    private static ArgumentException Invalid(string field, string message) => new($"Trace field {field}: {message}.", field);
}
