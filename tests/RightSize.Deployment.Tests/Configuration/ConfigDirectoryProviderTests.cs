using RightSize.Deployment.Tests.Infrastructure;
using RightSize.Gateway.Hosting;

namespace RightSize.Deployment.Tests.Configuration;

public sealed class ConfigDirectoryProviderTests
{
    [Fact]
    public void Load_MalformedFileAtStart_ThrowsNamingTheFile()
    {
        using var directory = new TempDirectory();
        var file = directory.Combine("appsettings.json");
        File.WriteAllText(file, "{ \"RightSize\": ");

        var error = Assert.Throws<InvalidDataException>(() => new ConfigDirectoryProvider(file).Load());

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FileMissingThenMalformedThenValid_KeepsLastGoodContents()
    {
        using var directory = new TempDirectory();
        var file = directory.Combine("appsettings.json");
        File.WriteAllText(file, """{ "RightSize": { "Routes": { "a": { "Tier": "small" } } } }""");
        var provider = new ConfigDirectoryProvider(file);
        provider.Load();
        var reloads = 0;
        using var registration = provider.GetReloadToken().RegisterChangeCallback(_ => reloads++, null);

        Assert.Equal(ConfigFileCheck.Unchanged, provider.Check());
        File.Delete(file);
        Assert.Equal(ConfigFileCheck.Missing, provider.Check());
        Assert.Equal(ConfigFileCheck.Unchanged, provider.Check());
        File.WriteAllText(file, "not json");
        Assert.Equal(ConfigFileCheck.Rejected, provider.Check());
        Assert.NotNull(provider.LastError);
        Assert.True(provider.TryGet("RightSize:Routes:a:Tier", out var kept));
        Assert.Equal("small", kept);
        Assert.Equal(0, reloads);

        File.WriteAllText(file, """{ "RightSize": { "Routes": { "a": { "Tier": "mid" } } } }""");
        Assert.Equal(ConfigFileCheck.Applied, provider.Check());
        Assert.True(provider.TryGet("RightSize:Routes:a:Tier", out var applied));
        Assert.Equal("mid", applied);
        Assert.Equal(1, reloads);
    }

    [Fact]
    public void Check_OptionalFileThatIsNotThere_NoExceptionEachPoll()
    {
        // appsettings.{Environment}.json is polled every second and is usually absent: a handled
        // exception per poll and file showed as dotnet_exceptions_total climbing by 6 a second.
        var missing = Path.Combine(Path.GetTempPath(), "rightsize-absent-" + Guid.NewGuid().ToString("N"), "appsettings.Production.json");
        var provider = new ConfigDirectoryProvider(missing);
        provider.Load();
        var thrown = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is IOException && e.Exception.Message.Contains(missing, StringComparison.Ordinal)) Interlocked.Increment(ref thrown);
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            for (var poll = 0; poll < 3; poll++) Assert.Equal(ConfigFileCheck.Unchanged, provider.Check());
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Equal(0, thrown);
    }

    [Fact]
    public async Task Check_KubernetesSymlinkSwap_Applied()
    {
        using var directory = KubernetesConfigDirectory.Create("""{ "A": "1" }""");
        var provider = new ConfigDirectoryProvider(Path.Combine(directory.Path, "appsettings.json"));
        provider.Load();

        await directory.SwapAsync("""{ "A": "2" }""");

        Assert.Equal(ConfigFileCheck.Applied, provider.Check());
        Assert.True(provider.TryGet("A", out var value));
        Assert.Equal("2", value);
    }
}
