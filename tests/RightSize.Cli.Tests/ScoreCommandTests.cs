using System.Text.Json;

namespace RightSize.Cli.Tests;

/// <summary>Where <c>score</c> writes: a file or stdout (<c>-</c>), with the summary on stderr after the output is closed.</summary>
public sealed class ScoreCommandTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Score_OutDash_ScoresOnStdoutSummaryOnStderr()
    {
        var (code, output, err) = CliSandbox.Run("score", "--data", _sandbox.Data("d.jsonl", 30), "--model", trained.Dir, "--out", "-");

        Assert.True(code == 0, err);
        var lines = output.Split('\n');
        Assert.Equal(31, lines.Length); // 30 lines, each ended by '\n'
        Assert.Equal(string.Empty, lines[^1]);
        Assert.All(lines[..^1], line => JsonDocument.Parse(line).Dispose());
        Assert.StartsWith("""{"id":"r0","p":{"small":""", lines[0], StringComparison.Ordinal);
        Assert.Equal("scored 30 rows into stdout", err.Trim());
    }

    [Fact]
    public void Score_OutFile_SummaryOnStderrNothingOnStdout()
    {
        var scores = _sandbox.PathOf("scores.jsonl");

        var (code, output, err) = CliSandbox.Run("score", "--data", _sandbox.Data("d.jsonl", 30), "--model", trained.Dir, "--out", scores);

        Assert.True(code == 0, err);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"scored 30 rows into {scores}", err.Trim());
        Assert.Equal(30, File.ReadAllLines(scores).Length);
    }

    [Fact]
    public void Score_OutIsADirectory_SaysSoWithBadDataExitCode()
    {
        var directory = Directory.CreateDirectory(_sandbox.PathOf("somewhere")).FullName;

        var (code, _, err) = CliSandbox.Run("score", "--data", _sandbox.Data("d.jsonl", 3), "--model", trained.Dir, "--out", directory);

        Assert.Equal(ExitCodes.BadData, code);
        Assert.Equal($"error: {directory}: --out is a directory; give a file to write to, or - for stdout", err.Trim());
    }

    [Theory]
    [InlineData("same path")]
    [InlineData("file symlink")]
    [InlineData("directory symlink")]
    public void Score_OutIsTheDataFile_RefusedAndTheRowsKept(string alias)
    {
        var data = _sandbox.Data("d.jsonl", 3);
        var before = File.ReadAllText(data);
        var target = alias switch
        {
            "file symlink" => File.CreateSymbolicLink(_sandbox.PathOf("link.jsonl"), data).FullName,
            "directory symlink" => Path.Combine(Directory.CreateSymbolicLink(_sandbox.PathOf("linkdir"), Path.GetDirectoryName(data)!).FullName, "d.jsonl"),
            _ => data,
        };

        var (code, _, err) = CliSandbox.Run("score", "--data", data, "--model", trained.Dir, "--out", target);

        Assert.Equal(ExitCodes.BadData, code);
        Assert.Equal($"error: {target}: --out is the --data file; writing the scores there would replace its rows. Give another file, or - for stdout", err.Trim());
        Assert.Equal(before, File.ReadAllText(data));
    }

    [Fact]
    public void Score_IdsOutsideAscii_WrittenAsTheyAreAndStillValidJson()
    {
        var data = _sandbox.PathOf("ids.jsonl");
        File.WriteAllLines(data, [
            """{"id":"café","messages":[{"role":"user","content":"q"}]}""",
            """{"id":"日本/1 \"quoted\"","messages":[{"role":"user","content":"q"}]}""",
        ]);

        var (code, output, err) = CliSandbox.Run("score", "--data", data, "--model", trained.Dir, "--out", "-");

        Assert.True(code == 0, err);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.StartsWith("""{"id":"café","p":""", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("""{"id":"日本/1 \"quoted\"","p":""", lines[1], StringComparison.Ordinal);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("日本/1 \"quoted\"", second.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public void Score_IdOutsideTheBasicPlane_WrittenAsItIsNotAsASurrogatePairEscape()
    {
        var data = _sandbox.PathOf("emoji.jsonl");
        File.WriteAllLines(data, [
            """{"id":"café-😀","messages":[{"role":"user","content":"q"}]}""",
            """{"id":"a\\uD83D\\uDE00 \\\\ 😀\"","messages":[{"role":"user","content":"q"}]}""",
        ]);
        var scores = _sandbox.PathOf("emoji-scores.jsonl");

        var (code, _, err) = CliSandbox.Run("score", "--data", data, "--model", trained.Dir, "--out", scores);

        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(scores, System.Text.Encoding.UTF8);
        Assert.StartsWith("""{"id":"café-😀","p":""", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("""{"id":"a\\uD83D\\uDE00 \\\\ 😀\"","p":""", lines[1], StringComparison.Ordinal); // escapes in the id itself stay escapes
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("café-😀", first.RootElement.GetProperty("id").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("a\\uD83D\\uDE00 \\\\ 😀\"", second.RootElement.GetProperty("id").GetString());
    }
}
