using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>
/// The published gateway started as the image's entrypoint does: <c>dotnet /app/RightSize.Gateway.dll</c>
/// with the working directory <c>/app</c> (here the publish output), and only the environment given.
/// Requests go to the first address it reports listening on, over 127.0.0.1 when that address is a
/// wildcard (<c>[::]</c>, <c>0.0.0.0</c>). Dispose kills this process, by its id, if it is still running.
/// </summary>
public sealed partial class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan OutputTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _addressesGate = new();
    private readonly ConcurrentQueue<Uri> _addresses = new();
    private TaskCompletionSource _addressAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatewayProcess(Process process)
    {
        _process = process;
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Id => _process.Id;

    /// <summary>Where to send requests: the first listening address, a wildcard host replaced by 127.0.0.1.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>
    /// Every address the process reported listening on ("Now listening on: ...") and read so far, as
    /// reported. Output is read as it comes: after the first, more may still be on their way (see
    /// <see cref="WaitForListeningAddressesAsync"/>).
    /// </summary>
    public IReadOnlyList<Uri> ListeningAddresses => [.. _addresses];

    public HttpClient Http { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Log => string.Join('\n', _lines);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>dotnet {entryAssembly} {arguments}</c> and waits until <c>/readyz</c> answers 200.</summary>
    public static async Task<GatewayProcess> StartAsync(string entryAssembly, IReadOnlyDictionary<string, string> environment, IEnumerable<string>? arguments = null)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(entryAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(entryAssembly);
        foreach (var argument in arguments ?? []) start.ArgumentList.Add(argument);
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("RightSize", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Serilog", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var gateway = new GatewayProcess(process);
        process.OutputDataReceived += (_, e) => gateway.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await gateway.WaitUntilReadyAsync();
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a signal to this process only, as Kubernetes and Docker do on stop.</summary>
    public async Task SignalAsync(string signal)
    {
        // bash's builtin kill: no dependency on procps being installed.
        var result = await Command.RunAsync("bash", ["-c", $"kill -{signal} {Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}"], TimeSpan.FromSeconds(10));
        Assert.True(result.ExitCode == 0, "kill failed: " + result.Describe());
    }

    /// <summary>
    /// <see cref="ListeningAddresses"/> once it holds <paramref name="count"/> addresses, or as it is
    /// when they have not all been read within a deadline (for the caller's assertion to show).
    /// </summary>
    public async Task<IReadOnlyList<Uri>> WaitForListeningAddressesAsync(int count)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task added;
            lock (_addressesGate)
            {
                if (_addresses.Count >= count) return ListeningAddresses;
                added = _addressAdded.Task;
            }

            var remaining = OutputTimeout - deadline.Elapsed;
            if (remaining <= TimeSpan.Zero || await Task.WhenAny(added, Task.Delay(remaining)) != added) return ListeningAddresses;
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
        }

        _process.Dispose();
    }

    /// <summary>The dotnet host running the tests (DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void OnLine(string? line)
    {
        if (line is null) return;
        _lines.Enqueue(line);
        var match = ListeningPattern().Match(line);
        if (!match.Success) return;
        var address = new Uri(match.Groups[1].Value.TrimEnd('/') + "/");
        TaskCompletionSource added;
        lock (_addressesGate)
        {
            _addresses.Enqueue(address);
            added = _addressAdded;
            _addressAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        added.SetResult();
        _listening.TrySetResult(address);
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited, Task.Delay(StartTimeout));
        if (first != _listening.Task)
        {
            throw new InvalidOperationException($"The gateway did not report a listening address ({(_process.HasExited ? "exited with " + _process.ExitCode : "timed out")}):\n{Log}");
        }

        BaseAddress = Reachable(await _listening.Task);
        while (deadline.Elapsed < StartTimeout)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(BaseAddress, "readyz"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"/readyz did not answer 200 within {StartTimeout}:\n{Log}");
    }

    private static Uri Reachable(Uri listening)
    {
        var wildcard = IPAddress.TryParse(listening.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any));
        return wildcard ? new UriBuilder(listening) { Host = IPAddress.Loopback.ToString() }.Uri : listening;
    }

    [GeneratedRegex(@"Now listening on: \\?""?(http://[^""\s\\]+)")]
    private static partial Regex ListeningPattern();
}
