using OpenLoRA.Attribution.Datanets;

namespace OpenLoRA.Attribution.Tests;

internal static class TestData
{
    // EIP-55 reference addresses (from the EIP's test vectors).
    public const string Alice = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    public const string Bob = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";
    public const string Carol = "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB";
    public const string Dave = "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb";

    public static int[] RandomTokens(Random random, int length, int alphabet)
    {
        var tokens = new int[length];
        for (int i = 0; i < length; i++) tokens[i] = random.Next(alphabet);
        return tokens;
    }

    public static List<TokenizedRecord> RandomRecords(Random random, int count, int maxLength, int alphabet)
    {
        string[] contributors = [Alice, Bob, Carol, Dave];
        var records = new List<TokenizedRecord>();
        for (int r = 0; r < count; r++)
        {
            records.Add(new TokenizedRecord($"rec-{r}", contributors[r % contributors.Length], RandomTokens(random, 1 + random.Next(maxLength), alphabet)));
        }
        return records;
    }

    public static DatanetIndex BuildIndex(TempDirectory dir, IReadOnlyList<TokenizedRecord> records, string name = "index.olidx")
    {
        DatanetIndexWriter.Write(dir.File(name), records);
        return DatanetIndex.Open(dir.File(name));
    }
}
