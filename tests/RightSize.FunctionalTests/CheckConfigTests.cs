using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RightSize.FunctionalTests;

/// <summary>
/// <c>--check-config</c>, run as an operator runs it: the gateway's own program
/// (<c>dotnet RightSize.Gateway.dll</c>) in a working directory of its own with a clean environment.
/// A valid configuration gives one line and exit code 0 without listening; an invalid one gives the
/// lines a start gives and exit code 1. The listening address given is a port held by the test, so
/// a gateway that tried to listen would fail with "address already in use".
/// </summary>
public sealed class CheckConfigTests : IDisposable
{
    private const string Valid = """
        {
          "RightSize": {
            "Classifier": { "ModelPath": "models/default/model.onnx" },
            "Upstreams": {
              "openai": { "BaseUrl": "https://api.openai.com/v1", "ApiKeyEnv": "RIGHTSIZE_CHECK_TEST_KEY" },
              "local": { "BaseUrl": "http://127.0.0.1:8000/v1", "ApiKeyFile": "./local.key" }
            },
            "Tiers": {
              "small": { "Upstream": "local", "Model": "llama-3.2-3b", "InputPerMTok": 0.05, "OutputPerMTok": 0.10 },
              "mid": { "Upstream": "openai", "Model": "gpt-4.1-mini", "InputPerMTok": 0.40, "OutputPerMTok": 1.60 },
              "frontier": { "Upstream": "openai", "Model": "gpt-4.1", "InputPerMTok": 2.00, "OutputPerMTok": 8.00 }
            },
            "Routes": {
              "auto": { "Threshold": 0.7 },
              "support": { "ClaimModels": [ "gpt-4o" ], "MaxTier": "mid" }
            }
          }
        }
        """;

    private const string ThresholdError = "  - RightSize:Routes:auto:Threshold must be between 0 and 1 (default 0.7).";

    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(90);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("rightsize-check-");
    private readonly TcpListener _occupied = new(IPAddress.Loopback, 0);

    public CheckConfigTests()
    {
        File.WriteAllText(Path.Combine(_directory.FullName, "local.key"), "sk-local\n");
        _occupied.Start();
    }

    private string Urls => $"http://127.0.0.1:{((IPEndPoint)_occupied.LocalEndpoint).Port}";

    public void Dispose()
    {
        _occupied.Dispose();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task CheckConfig_ValidConfiguration_ExitsZeroWithOneLineAndDoesNotListen()
    {
        WriteAppSettings(Valid);

        var result = await RunAsync(["--urls", Urls, "--check-config"], Key());

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal("", result.Error);
        var line = Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Configuration OK: 2 routes (auto, support), 2 upstreams (local, openai), classifier ", line, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_directory.FullName, "appsettings.json"), line, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_ThresholdOutOfRange_ExitsOneWithWhatAStartPrints()
    {
        var directory = _directory.CreateSubdirectory("config").FullName;
        WriteAppSettings(Valid, directory);
        await AssertValidAsync(["--urls", Urls, "--config-dir", directory, "--check-config"], Key());
        WriteAppSettings(Valid.Replace("\"Threshold\": 0.7", "\"Threshold\": 1.5", StringComparison.Ordinal), directory);

        var check = await RunAsync(["--urls", Urls, "--config-dir", directory, "--check-config"], Key());
        var start = await RunAsync(["--urls", Urls, "--config-dir", directory], Key());

        Assert.True(check.ExitCode == 1, check.Describe());
        Assert.Equal(["RightSize cannot start:", ThresholdError], Lines(check.Error));
        Assert.Equal("", check.Output);
        Assert.True(start.ExitCode == 1, start.Describe());
        Assert.Equal(start.Error, check.Error);
    }

    [Fact]
    public async Task CheckConfig_ValidButADeadlineNoLongerThanTheWaitForHeaders_ExitsZeroWithAWarningPerTier()
    {
        WriteAppSettings(Valid.Replace("\"Threshold\": 0.7", "\"Threshold\": 0.7, \"Deadline\": \"00:01:00\"", StringComparison.Ordinal));

        var result = await RunAsync(["--urls", Urls, "--check-config"], Key());

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.StartsWith("Configuration OK: ", Assert.Single(Lines(result.Output)), StringComparison.Ordinal);
        Assert.Collection(
            Lines(result.Error),
            line => Assert.StartsWith("warning: RightSize:Routes:auto:Deadline (00:01:00) is not longer than the wait for headers of its small tier (00:05:00, upstream 'local')", line, StringComparison.Ordinal),
            line => Assert.StartsWith("warning: RightSize:Routes:auto:Deadline (00:01:00) is not longer than the wait for headers of its mid tier (00:05:00, upstream 'openai')", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckConfig_DirectoryWithoutAppSettings_SaysWhatTheDirectoryHolds()
    {
        // A ConfigMap made with --from-file=rightsize.json mounts a file the gateway does not read.
        var directory = _directory.CreateSubdirectory("mounted").FullName;
        File.WriteAllText(Path.Combine(directory, "rightsize.json"), Valid);

        var result = await RunAsync(["--urls", Urls, "--config-dir", directory, "--check-config"], Key());

        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Equal(
            [
                "RightSize cannot start:",
                "  - RightSize:Routes: no route is configured. Add at least one, for example RightSize:Routes:auto.",
                $"  - note: the configuration directory '{directory}' (from --config-dir or RIGHTSIZE_CONFIG_DIR) holds no appsettings.json, so nothing was read from it; it holds rightsize.json.",
            ],
            Lines(result.Error));
    }

    [Fact]
    public async Task CheckConfig_EnvironmentOverrideAndMissingKeyVariable_ListsBothErrors()
    {
        WriteAppSettings(Valid);
        await AssertValidAsync(["--urls", Urls, "--check-config"], Key());

        // The key variable is not set, and an environment variable overrides the file's threshold.
        var result = await RunAsync(["--urls", Urls, "--check-config"], new() { ["RightSize__Routes__auto__Threshold"] = "1.5" });

        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Equal(
            [
                "RightSize cannot start:",
                "  - RightSize:Upstreams:openai:ApiKeyEnv names the environment variable RIGHTSIZE_CHECK_TEST_KEY, which is not set or holds only white space. Set it, or remove ApiKeyEnv for an upstream without a key.",
                ThresholdError,
            ],
            Lines(result.Error));
    }

    [Fact]
    public async Task CheckConfig_CommandLineOverride_IsCheckedToo()
    {
        WriteAppSettings(Valid);
        await AssertValidAsync(["--urls", Urls, "--check-config", "--RightSize:Routes:auto:Threshold=0.5"], Key());

        var result = await RunAsync(["--urls", Urls, "--check-config", "--RightSize:Routes:auto:Threshold=1.5"], Key());

        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Equal(["RightSize cannot start:", ThresholdError], Lines(result.Error));
    }

    [Theory]
    [InlineData("Serilog__MinimumLevel__Default", "Serilog:MinimumLevel:Default", "Loud")]
    [InlineData("Serilog__MinimumLevel__Override__Yarp", "Serilog:MinimumLevel:Override:Yarp", "Loud")]
    [InlineData("Serilog__MinimumLevel__Default", "Serilog:MinimumLevel:Default", "99")] // a number Serilog takes, and logs nothing at
    public async Task CheckConfig_LogLevelThatIsNoLevel_ExitsOneNamingItAsAStartDoes(string variable, string key, string level)
    {
        WriteAppSettings(Valid);
        await AssertValidAsync(["--urls", Urls, "--check-config"], new() { ["RIGHTSIZE_CHECK_TEST_KEY"] = "sk-test", [variable] = "warning" });
        var environment = new Dictionary<string, string> { ["RIGHTSIZE_CHECK_TEST_KEY"] = "sk-test", [variable] = level };

        var check = await RunAsync(["--urls", Urls, "--check-config"], environment);
        var start = await RunAsync(["--urls", Urls], environment);

        Assert.True(check.ExitCode == 1, check.Describe());
        Assert.Equal(["RightSize cannot start:", $"  - {key} '{level}' is not a log level; use Verbose, Debug, Information, Warning, Error or Fatal."], Lines(check.Error));
        Assert.True(start.ExitCode == 1, start.Describe());
        Assert.Equal(start.Error, check.Error);
    }

    [Theory]
    [InlineData("RightSize__Telemetry__ServiceName", "RightSize:Telemetry:ServiceName must not be empty (default rightsize-gateway).")] // crashed with exit 134
    [InlineData("RightSize__Telemetry__PrometheusPath", "RightSize:Telemetry:PrometheusPath must be a URL path that starts with '/'")] // served the metrics at /
    public async Task CheckConfig_EmptyTelemetryName_ExitsOneNamingItAsAStartDoes(string variable, string error)
    {
        WriteAppSettings(Valid);
        var environment = new Dictionary<string, string> { ["RIGHTSIZE_CHECK_TEST_KEY"] = "sk-test", [variable] = string.Empty };

        var check = await RunAsync(["--urls", Urls, "--check-config"], environment);
        var start = await RunAsync(["--urls", Urls], environment);

        Assert.True(check.ExitCode == 1, check.Describe());
        var lines = Lines(check.Error);
        Assert.Equal("RightSize cannot start:", lines[0]);
        Assert.StartsWith("  - " + error, Assert.Single(lines.Skip(1)), StringComparison.Ordinal);
        Assert.True(start.ExitCode == 1, start.Describe());
        Assert.Equal(start.Error, check.Error);
    }

    [Fact]
    public async Task CheckConfig_ModelFileMissing_ExitsOneWithTheClassifierError()
    {
        WriteAppSettings(Valid);
        await AssertValidAsync(["--urls", Urls, "--check-config"], Key());
        WriteAppSettings(Valid.Replace("models/default/model.onnx", "models/none/model.onnx", StringComparison.Ordinal));

        var result = await RunAsync(["--urls", Urls, "--check-config"], Key());

        Assert.True(result.ExitCode == 1, result.Describe());
        var lines = Lines(result.Error);
        Assert.Equal("RightSize cannot start:", lines[0]);
        Assert.Contains("models/none", Assert.Single(lines.Skip(1)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_KeyFileASymlinkWhoseTargetIsGone_ExitsOneNamingIt()
    {
        // A mounted Secret after an update without the key: local.key -> ..data/local.key, and ..data has no such file.
        WriteAppSettings(Valid);
        await AssertValidAsync(["--urls", Urls, "--check-config"], Key());
        var keyFile = Path.Combine(_directory.FullName, "local.key");
        File.Delete(keyFile);
        _directory.CreateSubdirectory("..data");
        File.CreateSymbolicLink(keyFile, Path.Combine("..data", "local.key"));

        var result = await RunAsync(["--urls", Urls, "--check-config"], Key());

        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Equal(["RightSize cannot start:", "  - RightSize:Upstreams:local:ApiKeyFile names './local.key', which does not exist."], Lines(result.Error));
    }

    [Fact]
    public async Task CheckConfig_KeyFileThatCannotBeRead_ExitsOneNamingTheSetting()
    {
        // A file that exists but whose read fails (/proc/self/mem fails with an I/O error even for root, as a
        // file the gateway's user may not read fails with "access denied").
        WriteAppSettings(Valid);
        await AssertValidAsync(["--urls", Urls, "--check-config"], Key());
        var keyFile = Path.Combine(_directory.FullName, "local.key");
        File.Delete(keyFile);
        File.CreateSymbolicLink(keyFile, "/proc/self/mem");

        var result = await RunAsync(["--urls", Urls, "--check-config"], Key());

        Assert.True(result.ExitCode == 1, result.Describe());
        var lines = Lines(result.Error);
        Assert.Equal("RightSize cannot start:", lines[0]);
        Assert.StartsWith("  - RightSize:Upstreams:local:ApiKeyFile could not be read: ", Assert.Single(lines.Skip(1)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AddressInUse_ExitsOneNamingThePort()
    {
        // The valid configuration passes; the start itself fails on the port the test holds. (That
        // the message follows the log lines, which go to standard output, is not asserted here.)
        WriteAppSettings(Valid);

        var result = await RunAsync(["--urls", Urls], Key());

        Assert.True(result.ExitCode == 1, result.Describe());
        var lines = Lines(result.Error);
        Assert.Equal("RightSize cannot start:", lines[^2]);
        Assert.Contains(((IPEndPoint)_occupied.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_WithDemo_ChecksTheDemoConfigurationWithoutStartingIt()
    {
        WriteAppSettings("""{ "RightSize": { "Classifier": { "ModelPath": "models/default/model.onnx" } } }"""); // as src/RightSize.Gateway's

        var result = await RunAsync(["--demo", "--urls", Urls, "--check-config"], []);

        Assert.True(result.ExitCode == 0, result.Describe());
        var line = Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Configuration OK: 3 routes (auto, premium, support), 3 upstreams (demo-frontier, demo-mid, demo-small), classifier default (", line, StringComparison.Ordinal);
        Assert.EndsWith("; --demo: its simulated upstreams were not started", line, StringComparison.Ordinal);
        Assert.DoesNotContain("curl", result.Output, StringComparison.Ordinal); // no banner: nothing to try
    }

    [Fact]
    public async Task CheckConfig_WithDemoAndAnInvalidSetting_ExitsOne()
    {
        await AssertValidAsync(["--demo", "--urls", Urls, "--check-config", "--RightSize:Gateway:MaxRequestBodyBytes=1000"], []);

        var result = await RunAsync(["--demo", "--urls", Urls, "--check-config", "--RightSize:Gateway:MaxRequestBodyBytes=0"], []);

        Assert.True(result.ExitCode == 1, result.Describe());
        var lines = Lines(result.Error);
        Assert.Equal("RightSize cannot start:", lines[0]);
        Assert.Contains("RightSize:Gateway:MaxRequestBodyBytes", Assert.Single(lines.Skip(1)), StringComparison.Ordinal);
    }

    /// <summary>
    /// The same set-up without the fault passes the check (and so does not listen on the port held):
    /// what an invalid configuration then reports is its own fault.
    /// </summary>
    private async Task AssertValidAsync(string[] arguments, Dictionary<string, string> environment)
    {
        var result = await RunAsync(arguments, environment);
        Assert.True(result.ExitCode == 0 && result.Output.StartsWith("Configuration OK: ", StringComparison.Ordinal), result.Describe());
    }

    private static Dictionary<string, string> Key() => new() { ["RIGHTSIZE_CHECK_TEST_KEY"] = "sk-test" };

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private void WriteAppSettings(string json, string? directory = null) =>
        File.WriteAllText(Path.Combine(directory ?? _directory.FullName, "appsettings.json"), json);

    /// <summary>
    /// Runs the gateway's program in the test's directory (its content root), with the environment
    /// of the test process less every variable that configures ASP.NET Core or RightSize, plus <paramref name="environment"/>.
    /// </summary>
    private async Task<Result> RunAsync(string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = _directory.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RightSize.Gateway.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("DOTNET_URLS", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("RightSize", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Serilog", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A gateway that started serving instead of checking would never exit.
            process.Kill();
            throw new TimeoutException($"The gateway did not exit within {ProcessTimeout}: {await output}{await error}");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>The dotnet host running the tests (DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private sealed record Result(int ExitCode, string Output, string Error)
    {
        public string Describe() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }
}
