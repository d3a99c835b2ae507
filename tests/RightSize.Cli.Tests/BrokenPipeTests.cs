using System.Diagnostics;

namespace RightSize.Cli.Tests;

/// <summary>
/// <c>rightsize score --out - | head -1</c>: the real program, its stdout a pipe the reader closes
/// after one line. It stops writing, says nothing, and exits with <see cref="ExitCodes.BrokenPipe"/>.
/// </summary>
public sealed class BrokenPipeTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Score_StdoutClosedAfterOneLine_StopsQuietlyWithBrokenPipeCode()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("a closed pipe is noticed on Unix");
        var data = _sandbox.Data("d.jsonl", 4000); // about 200 KB of scores: more than a pipe holds
        var command = CliProgram.Command("score", "--data", data, "--model", trained.Dir, "--out", "-");
        var start = new ProcessStartInfo(command[0], command[1..])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var first = await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken);
        process.StandardOutput.Dispose(); // what head does after its line
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.StartsWith("""{"id":"r0","p":{""", first, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await err);
        Assert.Equal(ExitCodes.BrokenPipe, process.ExitCode);
    }
}
