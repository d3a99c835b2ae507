namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>
/// The gateway published by <c>deploy/docker/publish.sh</c>, the script the Dockerfile runs,
/// once per test run into a temp directory (the image's <c>/app</c>).
/// </summary>
public sealed class PublishedGateway : IDisposable
{
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(20);

    private readonly TempDirectory _directory = new("rightsize-publish-");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _output;

    public string EntryAssembly => Path.Combine(_directory.Path, "app", "RightSize.Gateway.dll");

    /// <summary>Publishes on first use; returns the output directory.</summary>
    public async Task<string> GetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_output is not null) return _output;
            var output = Path.Combine(_directory.Path, "app");
            var result = await Command.RunAsync("bash", [Repository.PathOf("deploy", "docker", "publish.sh"), output], PublishTimeout);
            Assert.True(result.ExitCode == 0, "deploy/docker/publish.sh failed: " + result.Describe());
            Assert.True(File.Exists(EntryAssembly), "publish.sh produced no RightSize.Gateway.dll: " + result.Describe());
            _output = output;
            return output;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Dispose();
        _directory.Dispose();
    }
}
