using System.Diagnostics;
using System.Text.Json;

namespace RightSize.Cli.Tests;

/// <summary>
/// <c>rightsize score --out - &gt; out.txt 2&gt;&amp;1</c>: the real program, run by a shell with stdout
/// and stderr on one file, as in a CI job or under nohup. Every result line and the summary arrive whole.
/// </summary>
public sealed class SharedOutputFileTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Score_StdoutAndStderrToOneFile_NothingOverwritten()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("the shell redirection is the Unix one");
        var data = _sandbox.Data("d.jsonl", 50);
        var output = Path.Combine(Path.GetDirectoryName(data)!, "out.txt");
        var command = CliProgram.Command("score", "--data", data, "--model", trained.Dir, "--out", "-");
        var start = new ProcessStartInfo("/bin/sh", ["-c", "\"$@\" > \"$0\" 2>&1", output, .. command]) { UseShellExecute = false };

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, process.ExitCode);
        var lines = await File.ReadAllLinesAsync(output, TestContext.Current.CancellationToken);
        var results = lines.Where(l => l.StartsWith('{')).ToList();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"r{i}"), results.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));
        Assert.Single(lines, l => l == "scored 50 rows into stdout");
        Assert.Equal(51, lines.Length);
    }
}
