using System.Text;
using OpenLoRA.Attribution.Datanets;
using static OpenLoRA.Attribution.Tests.TestData;

namespace OpenLoRA.Attribution.Tests.Datanets;

public sealed class DatanetJsonlParserTests
{
    private static string Line(string id, string contributor, string text) =>
        $"{{\"id\":\"{id}\",\"contributor\":\"{contributor}\",\"text\":\"{text}\"}}";

    [Fact]
    public void Parse_ValidLines_ReturnsRecordsWithChecksumAddresses()
    {
        string jsonl = Line("a", Alice.ToLowerInvariant(), "hello world") + "\n" + Line("b", Bob, "second") + "\n";
        IReadOnlyList<DatanetRecord> records = DatanetJsonlParser.Parse(jsonl);
        Assert.Equal([new DatanetRecord("a", Alice, "hello world"), new DatanetRecord("b", Bob, "second")], records);
    }

    [Fact]
    public void Parse_UppercaseAddress_NormalizedToChecksum()
    {
        string upper = "0x" + Alice[2..].ToUpperInvariant();
        Assert.Equal(Alice, DatanetJsonlParser.Parse(Line("a", upper, "t"))[0].Contributor);
    }

    [Fact]
    public void Parse_BlankLinesCrLfAndExtraFields_Accepted()
    {
        string jsonl = "\r\n" + "{\"id\":\"a\",\"contributor\":\"" + Alice + "\",\"text\":\"x\",\"meta\":{\"k\":1}}\r\n   \r\n" + Line("b", Bob, "y");
        Assert.Equal(["a", "b"], DatanetJsonlParser.Parse(jsonl).Select(r => r.Id));
    }

    [Fact]
    public void Parse_Stream_ReadsUtf8()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Line("é", Alice, "naïve ✓")));
        Assert.Equal("naïve ✓", DatanetJsonlParser.Parse(stream)[0].Text);
    }

    [Fact]
    public void Parse_StreamWithBomAndCrLf_Accepted()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Line("a", Alice, "x") + "\r\n\r\n" + Line("b", Bob, "y") + "\r\n")];
        using var stream = new MemoryStream(bytes);
        Assert.Equal(["a", "b"], DatanetJsonlParser.Parse(stream).Select(r => r.Id));
    }

    [Fact]
    public void Parse_StreamLineTooLong_Throws()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Line("a", Alice, new string('x', 1000))));
        var e = Assert.Throws<DatanetFormatException>(() => DatanetJsonlParser.Parse(stream, new DatanetParserOptions { MaxLineChars = 100 }));
        Assert.Equal(1, e.LineNumber);
    }

    [Fact]
    public void Parse_InvalidUtf8Stream_ThrowsWithLine()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes(Line("a", Alice, "x") + "\n{\"id\":\"b\",\"text\":\""), 0xff, 0xfe, .. "\"}"u8.ToArray()];
        using var stream = new MemoryStream(bytes);
        var e = Assert.Throws<DatanetFormatException>(() => DatanetJsonlParser.Parse(stream));
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("UTF-8", e.Message);
    }

    [Theory]
    [InlineData("{\"id\":", "malformed JSON")]
    [InlineData("not json", "malformed JSON")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("\"str\"", "expected a JSON object")]
    public void Parse_MalformedLine_ThrowsWithLineNumber(string bad, string expected)
    {
        string jsonl = Line("a", Alice, "x") + "\n" + Line("b", Bob, "y") + "\n" + bad;
        var e = Assert.Throws<DatanetFormatException>(() => DatanetJsonlParser.Parse(jsonl));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("line 3", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("contributor")]
    [InlineData("text")]
    public void Parse_MissingField_ThrowsNamingField(string field)
    {
        var fields = new Dictionary<string, string> { ["id"] = "\"a\"", ["contributor"] = $"\"{Alice}\"", ["text"] = "\"x\"" };
        fields.Remove(field);
        string line = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
        var e = Assert.Throws<DatanetFormatException>(() => DatanetJsonlParser.Parse(line));
        Assert.Equal(1, e.LineNumber);
        Assert.Contains($"missing field '{field}'", e.Message);
    }

    [Fact]
    public void Parse_NonStringField_Throws()
    {
        var e = Assert.Throws<DatanetFormatException>(() => DatanetJsonlParser.Parse($"{{\"id\":7,\"contributor\":\"{Alice}\",\"text\":\"x\"}}"));
        Assert.Contains("field 'id' must be a string", e.Message);
    }

    [Fact]
    public void Parse_DuplicateId_ThrowsNamingBothLines()
    {
        string jsonl = Line("a", Alice, "x") + "\n" + Line("b", Bob, "y") + "\n" + Line("a", Carol, "z");
        var e = Assert.Throws<DatanetFormatException>(() => DatanetJsonlParser.Parse(jsonl));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("duplicate id 'a'", e.Message);
        Assert.Contains("line 1", e.Message);
    }

    [Theory]
    [InlineData("0x123")]
    [InlineData("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00")]
    [InlineData("0xZZAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("")]
    public void Parse_InvalidAddress_Throws(string address)
    {
        var e = Assert.Throws<DatanetFormatException>(() => DatanetJsonlParser.Parse(Line("a", address, "x")));
        Assert.Contains("field 'contributor'", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\\n\\t")]
    public void Parse_EmptyText_Throws(string text)
    {
        var e = Assert.Throws<DatanetFormatException>(() => DatanetJsonlParser.Parse(Line("a", Alice, text)));
        Assert.Contains("field 'text' is empty", e.Message);
    }

    [Fact]
    public void Parse_EmptyId_Throws()
    {
        var e = Assert.Throws<DatanetFormatException>(() => DatanetJsonlParser.Parse(Line("", Alice, "x")));
        Assert.Contains("field 'id' is empty", e.Message);
    }

    [Fact]
    public void Parse_IdTooLong_Throws()
    {
        var e = Assert.Throws<DatanetFormatException>(() =>
            DatanetJsonlParser.Parse(Line(new string('x', 11), Alice, "x"), new DatanetParserOptions { MaxIdBytes = 10 }));
        Assert.Contains("longer than 10 UTF-8 bytes", e.Message);
    }

    [Fact]
    public void Parse_LineTooLong_ThrowsWithoutReadingRest()
    {
        string jsonl = Line("a", Alice, "x") + "\n" + Line("b", Bob, new string('y', 500));
        var e = Assert.Throws<DatanetFormatException>(() => DatanetJsonlParser.Parse(jsonl, new DatanetParserOptions { MaxLineChars = 200 }));
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("longer than 200 characters", e.Message);
    }

    [Fact]
    public void Parse_TooManyRecords_Throws()
    {
        string jsonl = string.Join("\n", Enumerable.Range(0, 4).Select(i => Line($"r{i}", Alice, "x")));
        var e = Assert.Throws<DatanetFormatException>(() => DatanetJsonlParser.Parse(jsonl, new DatanetParserOptions { MaxRecords = 3 }));
        Assert.Equal(4, e.LineNumber);
    }

    [Fact]
    public void Parse_TotalTooLarge_Throws()
    {
        string jsonl = string.Join("\n", Enumerable.Range(0, 10).Select(i => Line($"r{i}", Alice, "xxxxxxxxxx")));
        var e = Assert.Throws<DatanetFormatException>(() => DatanetJsonlParser.Parse(jsonl, new DatanetParserOptions { MaxTotalChars = 300 }));
        Assert.Contains("characters in total", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n")]
    public void Parse_NoRecords_Throws(string jsonl)
    {
        var e = Assert.Throws<DatanetFormatException>(() => DatanetJsonlParser.Parse(jsonl));
        Assert.Contains("no records", e.Message);
    }

    [Fact]
    public void Parse_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DatanetJsonlParser.Parse(Line("a", Alice, "x"), new DatanetParserOptions { MaxRecords = 0 }));
    }
}
