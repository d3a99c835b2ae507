using System.Net;
using System.Net.Sockets;
using RightSize.Gateway;

namespace RightSize.FunctionalTests;

/// <summary>The gateway process's own start-up failures: one line each and exit code 1, not an unhandled exception.</summary>
public sealed class ProgramTests
{
    // Without the checks under test, Main would start serving and never return: the timeout turns that hang into a failure.
    private const int NoHang = 120_000;

    [Fact(Timeout = NoHang)]
    public async Task Main_PortAlreadyInUse_ExitsWithOne()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var exitCode = await Program.Main(["--demo", "--urls", $"http://127.0.0.1:{port}"]).WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
    }

    [Theory(Timeout = NoHang)]
    [InlineData("--config-dir")]
    [InlineData("--Config-Dir")] // passed the check and was then ignored until 2026-12-02
    public async Task Main_ConfigDirectoryMissing_ExitsWithOne(string option)
    {
        var missing = Path.Combine(Path.GetTempPath(), "rightsize-no-such-config-" + Guid.NewGuid().ToString("N"));

        var exitCode = await Program.Main(["--demo", "--urls", "http://127.0.0.1:0", option, missing]).WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
    }

    [Theory(Timeout = NoHang)]
    [InlineData("--check-confg", "--urls", "http://127.0.0.1:0")] // a misspelt switch took the next argument as its value and the gateway started
    [InlineData("--urls", "http://127.0.0.1:0", "--config-dir")]
    [InlineData("--config-dir", "--check-config")]
    [InlineData("--port", "8080")]
    [InlineData("--urls", "http://127.0.0.1:0", "--config-dir=")] // no value: passed, and hid RIGHTSIZE_CONFIG_DIR, until 2026-12-02
    [InlineData("--urls=")]
    public async Task Main_ArgumentTheGatewayDoesNotTake_ExitsWithOne(params string[] args)
    {
        var exitCode = await Program.Main(["--demo", .. args]).WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
    }

    [Theory(Timeout = NoHang)]
    [InlineData("""{ "RightSize": { "Logging": { "IncludeContent": "yes" } } }""")]
    [InlineData("""{ "Serilog": { "Using": [ "No.Such.Assembly" ] } }""")] // crashed the start until 2026-12-01
    public async Task Main_LoggingSettingThatDoesNotConvert_ExitsWithOne(string settings)
    {
        var directory = Directory.CreateTempSubdirectory("rightsize-logging-config-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "appsettings.json"), settings, TestContext.Current.CancellationToken);

            var exitCode = await Program.Main(["--demo", "--urls", "http://127.0.0.1:0", "--config-dir", directory.FullName]).WaitAsync(TestContext.Current.CancellationToken);

            Assert.Equal(1, exitCode);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
