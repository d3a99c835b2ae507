using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using RightSize.Classification;
using RightSize.Features;
using RightSize.OpenAI.Chat;
using RightSize.OpenAI.Requests;
using RightSize.Training.Data;

namespace RightSize.Training.Tests;

public sealed class RoutingDataReaderTests : IDisposable
{
    private const string Good = """{"id":"a","source":"s","messages":[{"role":"user","content":"hi"}],"scores":{"m1":1.0,"m2":0.0},"tiers":{"mid":"m1","frontier":"m2"}}""";

    private readonly string _dir = Directory.CreateTempSubdirectory("rs-reader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Read_PartialTiers_SmallIsUnknown()
    {
        var row = Assert.Single(RoutingDataReader.ReadAll([Write(Good)]));
        Assert.False(row.Has(Tier.Small));
        Assert.Null(row.GoodEnough(Tier.Small));
        Assert.True(row.GoodEnough(Tier.Mid));
        Assert.Equal("hi", row.Prompt.Turns[0].Text);
    }

    [Fact]
    public void Read_RowWithoutId_TakesItsLineNumberAndSaysSo()
    {
        var rows = RoutingDataReader.ReadAll([Write(Good, Good.Replace("\"id\":\"a\",", string.Empty, StringComparison.Ordinal))]);

        Assert.Equal(("a", true), (rows[0].Id, rows[0].HasOwnId));
        Assert.Equal(("2", false), (rows[1].Id, rows[1].HasOwnId));
    }

    [Theory]
    [InlineData("{not json", "malformed JSON")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"scores":{"a":1},"tiers":{"huge":"a","frontier":"a"}}""", "unknown tier 'huge'")]
    [InlineData("""{"scores":{"a":1},"tiers":{"frontier":"a"}}""", "'messages'")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"scores":{"a":1},"tiers":{"mid":"a"}}""", "no frontier score")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"scores":{"a":1e400},"tiers":{"frontier":"a"}}""", "the score of 'a' must be between 0 and 1 (got 1e400)")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"scores":{"a":1,"b":1.5},"tiers":{"mid":"b","frontier":"a"}}""", "the score of 'b' must be between 0 and 1 (got 1.5)")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"scores":{"a":1,"other":-0.5},"tiers":{"frontier":"a"}}""", "the score of 'other' must be between 0 and 1 (got -0.5)")]
    [InlineData("""{"messages":[{"role":"user","content":"half a pair \ud83d"}],"scores":{"a":1},"tiers":{"frontier":"a"}}""", "a string with an invalid escape sequence")]
    [InlineData("""{"id":"\udc00","messages":[{"role":"user","content":"x"}],"scores":{"a":1},"tiers":{"frontier":"a"}}""", "a string with an invalid escape sequence")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"text","text":"\ud800"}]}],"scores":{"a":1},"tiers":{"frontier":"a"}}""", "a string with an invalid escape sequence")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"scores":{"a\ud800":1},"tiers":{"frontier":"a\ud800"}}""", "a string with an invalid escape sequence")]
    public void Read_BadLine_OneLineErrorNamesFileAndLine(string bad, string expected)
    {
        var path = Write(Good, string.Empty, bad);
        var ex = Assert.Throws<RoutingDataException>(() => RoutingDataReader.ReadAll([path]));
        Assert.StartsWith($"{path}:3: ", ex.Message);
        Assert.Contains(expected, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Read_MissingFile_NamesFile()
    {
        var ex = Assert.Throws<RoutingDataException>(() => RoutingDataReader.ReadAll(["/nonexistent/x.jsonl"]));
        Assert.Equal("/nonexistent/x.jsonl: file not found", ex.Message);
    }

    [Fact]
    public void Read_Directory_SaysItIsADirectory()
    {
        var directory = Directory.CreateTempSubdirectory("rightsize-data-").FullName;
        try
        {
            var ex = Assert.Throws<RoutingDataException>(() => RoutingDataReader.ReadAll([directory]));
            Assert.Equal($"{directory}: is a directory, not a JSONL file", ex.Message);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\n\t")]
    public void ReadAll_FileWithoutRows_NamesFile(string content)
    {
        var path = Write();
        File.WriteAllText(path, content);
        var ex = Assert.Throws<RoutingDataException>(() => RoutingDataReader.ReadAll([Write(Good), path]));
        Assert.Equal($"{path}: no rows", ex.Message);
    }

    [Fact]
    public void Read_LineThatIsNotUtf8_NamesFileAndLine()
    {
        // Enough good lines before it that the bad byte is far beyond the reader's first buffer.
        var path = Write();
        var latin1 = Encoding.UTF8.GetBytes(Good.Replace("\"hi\"", "\"caf?\"", StringComparison.Ordinal));
        latin1[Array.IndexOf(latin1, (byte)'?')] = 0xE9; // 'é' as Latin-1 wrote it
        using (var file = File.Create(path))
        {
            for (var i = 0; i < 200; i++) file.Write(Encoding.UTF8.GetBytes(Good + "\n"));
            file.Write(latin1);
            file.Write("\n"u8);
            file.Write(Encoding.UTF8.GetBytes(Good + "\n"));
        }

        var ex = Assert.Throws<RoutingDataException>(() => RoutingDataReader.ReadAll([path]));
        Assert.Equal($"{path}:201: the line is not UTF-8 text", ex.Message);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public void Read_LineThatIsNotUtf8_CountsLinesAsTheReaderDoes(string lineEnd)
    {
        var path = Write();
        var latin1 = Encoding.UTF8.GetBytes(Good.Replace("\"hi\"", "\"caf?\"", StringComparison.Ordinal));
        latin1[Array.IndexOf(latin1, (byte)'?')] = 0xE9;
        using (var file = File.Create(path))
        {
            for (var i = 0; i < 3; i++) file.Write(Encoding.UTF8.GetBytes(Good + lineEnd));
            file.Write(latin1);
            file.Write(Encoding.UTF8.GetBytes(lineEnd + Good + lineEnd));
        }

        var ex = Assert.Throws<RoutingDataException>(() => RoutingDataReader.ReadAll([path]));
        Assert.Equal($"{path}:4: the line is not UTF-8 text", ex.Message);
    }

    [Fact]
    public void Read_ALoneCarriageReturn_IsWhiteSpaceInsideTheLineNotALineEnd()
    {
        // Lines end at \n, as awk, sed and Python count them: "\r\r\n" ends one line, and a \r
        // between two members is white space to JSON.
        var path = Write();
        var inner = Good.Replace("\"id\":\"a\",", "\"id\":\"b\",\r", StringComparison.Ordinal);
        File.WriteAllText(path, Good + "\r\r\n" + inner + "\n" + Good + "\n" + "{\"id\":\n");

        var ex = Assert.Throws<RoutingDataException>(() => RoutingDataReader.ReadAll([path]));
        Assert.StartsWith($"{path}:4: malformed JSON", ex.Message, StringComparison.Ordinal);

        File.WriteAllText(path, Good + "\r\r\n" + inner + "\n");
        Assert.Equal(["a", "b"], RoutingDataReader.ReadAll([path]).Select(row => row.Id));
    }

    [Fact]
    public async Task Read_FromAPipe_NamesTheLineThatIsNotUtf8()
    {
        var bytes = new List<byte>();
        for (var i = 1; i <= 100; i++)
        {
            var line = Encoding.UTF8.GetBytes(Good + "\n");
            if (i is 20 or 95) line[line.Length - 4] = 0xFF; // inside the last string, never UTF-8
            bytes.AddRange(line);
        }

        var (pipe, writer) = Pipe([.. bytes]);

        var ex = Assert.Throws<RoutingDataException>(() => RoutingDataReader.ReadAll([pipe]));
        Assert.Equal($"{pipe}:20: the line is not UTF-8 text", ex.Message);
        await writer;
    }

    [Fact]
    public async Task ReadAllHashed_FileAndPipe_HashTheBytesRead()
    {
        var bytes = Encoding.UTF8.GetBytes("\uFEFF" + Good + "\r\n\n" + Good.Replace("\"a\"", "\"b\"", StringComparison.Ordinal));
        var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        var path = Write();
        File.WriteAllBytes(path, bytes);
        var (pipe, writer) = Pipe(bytes);

        var fromFile = RoutingDataReader.ReadAllHashed([path]);
        var fromPipe = RoutingDataReader.ReadAllHashed([pipe]);
        await writer;

        Assert.Equal(expected, fromFile.DataHash);
        Assert.Equal(expected, fromPipe.DataHash);
        Assert.Equal(["a", "b"], fromPipe.Rows.Select(row => row.Id));
    }

    /// <summary>A named pipe that a background task fills with <paramref name="bytes"/> once a reader opens it.</summary>
    private (string Path, Task Writer) Pipe(byte[] bytes)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "needs mkfifo");
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".fifo");
        using (var mkfifo = Process.Start("mkfifo", [path]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var writer = Task.Run(() =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
            stream.Write(bytes);
        });
        return (path, writer);
    }

    [Theory]
    [InlineData("[\"mid\"]")]
    [InlineData("\"mid\"")]
    public void ParseLine_TiersNotAnObject_RefusedAlsoWhereLabelsAreOptional(string tiers)
    {
        // score reads rows without labels, but labels it is given are checked as eval checks them.
        var line = $$"""{"id":"x","messages":[{"role":"user","content":"hi"}],"tiers":{{tiers}}}""";

        var ex = Assert.Throws<RoutingDataException>(() => RoutingDataReader.ParseLine(line, "f.jsonl", 3, requireFrontier: false));
        Assert.Equal("f.jsonl:3: 'tiers' must be an object mapping tier names to models", ex.Message);
    }

    [Fact]
    public void ParseLine_TiersNullOrLeftOut_ReadsWithoutLabelsWhereTheyAreOptional()
    {
        var withNull = RoutingDataReader.ParseLine("""{"id":"x","messages":[{"role":"user","content":"hi"}],"tiers":null}""", "f.jsonl", 1, requireFrontier: false);
        var without = RoutingDataReader.ParseLine("""{"id":"y","messages":[{"role":"user","content":"hi"}]}""", "f.jsonl", 2, requireFrontier: false);

        Assert.False(withNull.Has(Tier.Mid));
        Assert.False(without.Has(Tier.Mid));
        Assert.Throws<RoutingDataException>(() => RoutingDataReader.ParseLine("""{"id":"x","messages":[{"role":"user","content":"hi"}],"tiers":null}""", "f.jsonl", 1));
    }

    [Fact]
    public void ParseLine_MalformedJson_SaysWhatAndAtWhichByteOnce()
    {
        // The 'o' is the 11th byte of the line (bytes are counted from 1, as columns are).
        var ex = Assert.Throws<RoutingDataException>(() => RoutingDataReader.ParseLine("{\"id\":\"x\",oops}", "f.jsonl", 6));
        Assert.Equal("f.jsonl:6: malformed JSON at byte 11: 'o' is an invalid start of a property name. Expected a '\"'.", ex.Message);
    }

    [Fact]
    public void ParseLine_TrailingComma_NoAdviceMeantForProgrammers()
    {
        // The parser's own message ends "...not supported in this mode. Change the reader options."
        var ex = Assert.Throws<RoutingDataException>(() => RoutingDataReader.ParseLine("{\"id\":\"a\",}", "f.jsonl", 3));
        Assert.Equal("f.jsonl:3: malformed JSON at byte 11: The JSON object contains a trailing comma at the end, which JSON does not allow.", ex.Message);
    }

    [Fact]
    public void Read_Utf8WithByteOrderMark_ReadsTheText()
    {
        var path = Write();
        File.WriteAllText(path, Good.Replace("\"hi\"", "\"café 日本\"", StringComparison.Ordinal) + "\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var row = Assert.Single(RoutingDataReader.ReadAll([path]));
        Assert.Equal("café 日本", row.Prompt.Turns[0].Text);
    }

    /// <summary>A row of the operator's own traffic: the request as the gateway received it, plus scores and tiers.</summary>
    private const string RequestRow = """
        {"id":"r","model":"auto","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Describe"},{"type":"image_url","image_url":{"url":"https://x/y.png"}},{"type":"input_text","text":"not a chat text part"},{"type":"text","text":"this picture."}]}],
         "tools":[{"type":"function","function":{"name":"a"}}],"functions":[{"name":"b"},{"name":"c"}],"response_format":{"type":"json_schema"},"max_tokens":100,"max_completion_tokens":2000,
         "scores":{"m":1,"f":1},"tiers":{"mid":"m","frontier":"f"}}
        """;

    [Fact]
    public void Read_RequestFields_ReadAsTheGatewayReadsThem()
    {
        var line = RequestRow.ReplaceLineEndings(string.Empty);
        var prompt = Assert.Single(RoutingDataReader.ReadAll([Write(line)])).Prompt;

        Assert.Equal("Describe\nthis picture.", prompt.Turns[1].Text); // text parts only
        Assert.Equal(3, prompt.ToolCount); // tools and legacy functions
        Assert.Equal(2000, prompt.MaxTokens); // max_completion_tokens over max_tokens
        Assert.Equal("json_schema", prompt.ResponseFormatType);
        Assert.True(OpenAIRequestParser.TryParseChat(Encoding.UTF8.GetBytes(line), out var request, out _));
        Assert.Equal(Features(request.Prompt!), Features(prompt));
    }

    private static (long, float)[] Features(ChatPrompt prompt)
    {
        var features = new SparseFeatures();
        FeatureExtractor.Default.Extract(prompt, features);
        var pairs = new (long, float)[features.Count];
        for (var i = 0; i < pairs.Length; i++) pairs[i] = (features.IndicesSpan[i], features.ValuesSpan[i]);
        return pairs;
    }

    [Fact]
    public void Read_ManyModels_ComputesConsensus()
    {
        var line = """{"id":"b","messages":[{"role":"user","content":"q"}],"scores":{"f":1,"a":1,"b":0,"c":0,"d":1},"tiers":{"frontier":"f"}}""";
        var row = Assert.Single(RoutingDataReader.ReadAll([Write(line)]));
        Assert.Equal(0.6, row.Consensus, 9);
    }
}
