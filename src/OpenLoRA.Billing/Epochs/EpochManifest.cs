using System.Numerics;
using System.Text;
using System.Text.Json;
using Nethereum.Util;

namespace OpenLoRA.Billing.Epochs;

/// <summary>
/// The canonical payout manifest: compact JSON with a fixed member order,
/// <c>{"epoch":N,"debits":[{"account":"0x…","amount":"…"}…],"credits":[{"payee":"0x…","amount":"…"}…],"traceIds":[…]}</c>,
/// debits and credits sorted by lowercase address (ordinal), trace ids sorted and distinct, amounts as decimal strings
/// (JSON numbers above 2^53 are not exact in most parsers). The same data always gives the same bytes, so anyone
/// holding the manifest can check it against the hash committed on-chain.
/// </summary>
internal static class EpochManifest
{
    public static string Build(long epoch, IReadOnlyList<EpochAmount> debits, IReadOnlyList<EpochAmount> credits,
        IReadOnlyList<string> traceIds)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("epoch", epoch);
            WriteAmounts(writer, "debits", "account", debits);
            WriteAmounts(writer, "credits", "payee", credits);
            writer.WriteStartArray("traceIds");
            foreach (string traceId in traceIds)
            {
                writer.WriteStringValue(traceId);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>keccak256 of the manifest's UTF-8 bytes, as 0x-prefixed lowercase hex (the bytes32 sent on-chain).</summary>
    public static string Hash(string manifest) =>
        "0x" + Convert.ToHexStringLower(Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(manifest)));

    private static void WriteAmounts(Utf8JsonWriter writer, string name, string addressName, IReadOnlyList<EpochAmount> amounts)
    {
        writer.WriteStartArray(name);
        foreach (EpochAmount amount in amounts)
        {
            writer.WriteStartObject();
            writer.WriteString(addressName, amount.Address);
            writer.WriteString("amount", amount.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static BigInteger Sum(IReadOnlyList<EpochAmount> amounts)
    {
        BigInteger total = BigInteger.Zero;
        foreach (EpochAmount amount in amounts)
        {
            total += amount.Amount;
        }

        return total;
    }
}
