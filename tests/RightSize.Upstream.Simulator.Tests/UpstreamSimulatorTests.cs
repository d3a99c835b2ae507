using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RightSize.Upstream.Simulator.Faults;
using RightSize.Upstream.Simulator.Tests.TestSupport;

namespace RightSize.Upstream.Simulator.Tests;

public class UpstreamSimulatorTests
{
    [Fact]
    public async Task StartAsync_DefaultUrl_ListensOnLoopbackEphemeralPort()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);

        Assert.Equal("127.0.0.1", simulator.BaseAddress.Host);
        Assert.NotEqual(0, simulator.BaseAddress.Port);
        Assert.Equal("/", simulator.BaseAddress.AbsolutePath);
        Assert.Equal(new Uri(simulator.BaseAddress, "v1/"), simulator.ApiBase);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsListingEveryError()
    {
        var options = Sim.Options("small");
        options.StreamChunks = 0;
        options.ChunkDelay = TimeSpan.FromSeconds(-1);
        options.Faults["ghost"] = FaultScript.Parse("status=503");

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => UpstreamSimulator.StartAsync(options, TestContext.Current.CancellationToken));

        Assert.Equal(3, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.Contains("Simulator:StreamChunks"));
        Assert.Contains(ex.Failures, f => f.Contains("Simulator:ChunkDelay"));
        Assert.Contains(ex.Failures, f => f.Contains("Simulator:Faults:ghost"));
    }

    [Fact]
    public async Task DisposeAsync_RequestStillDelayed_StopsPromptlyAndAbortsIt()
    {
        var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        var pending = Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi"), "delay=60000"), TestContext.Current.CancellationToken);
        await simulator.Journal.WaitForRequestAsync("small", Sim.WaitTimeout, TestContext.Current.CancellationToken);

        await simulator.DisposeAsync().AsTask().WaitAsync(Sim.WaitTimeout, TestContext.Current.CancellationToken);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => pending);
    }

    [Fact]
    public void Bind_ConfigurationSection_ReadsModelsDelaysAndFaultText()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulator:Models:0"] = "small",
            ["Simulator:Models:1"] = "mid",
            ["Simulator:StreamChunks"] = "3",
            ["Simulator:ChunkDelay"] = "00:00:00.050",
            ["Simulator:RequiredApiKey"] = "sk-x",
            ["Simulator:Faults:mid"] = "status=429;retry-after=1;times=2",
        }).Build();
        var services = new ServiceCollection();
        services.AddUpstreamSimulator(configuration.GetSection(SimulatorConstants.SectionName));
        using var provider = services.BuildServiceProvider();

        var simulator = provider.GetRequiredService<SimulatorService>();

        Assert.Equal(["small", "mid"], simulator.Options.Models);
        Assert.Equal(3, simulator.Options.StreamChunks);
        Assert.Equal(TimeSpan.FromMilliseconds(50), simulator.Options.ChunkDelay);
        Assert.Equal("sk-x", simulator.Options.RequiredApiKey);
        Assert.Equal(new FaultScript { Status = 429, RetryAfterSeconds = 1, Times = 2 }, simulator.Faults.Get("mid"));
    }

    [Fact]
    public void Bind_InvalidConfiguration_OptionsValidationListsTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulator:StreamChunks"] = "0",
        }).Build();
        var services = new ServiceCollection();
        services.AddUpstreamSimulator(configuration.GetSection(SimulatorConstants.SectionName));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SimulatorOptions>>().Value);

        Assert.Contains("Simulator:StreamChunks", ex.Message);
    }

    [Fact]
    public void Bind_UnparsableFaultTexts_ValidationListsEachKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulator:Models:0"] = "small",
            ["Simulator:Models:1"] = "mid",
            ["Simulator:Faults:small"] = "bogus",
            ["Simulator:Faults:mid"] = "status=42",
        }).Build();
        var services = new ServiceCollection();
        services.AddUpstreamSimulator(configuration.GetSection(SimulatorConstants.SectionName));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SimulatorOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.StartsWith("Simulator:Faults:small:") && f.Contains("'bogus'"));
        Assert.Contains(ex.Failures, f => f.StartsWith("Simulator:Faults:mid:") && f.Contains("'status=42'"));
    }

    [Fact]
    public void Bind_ValuesThatDoNotConvert_ValidationListsEachKeyWithTheOtherErrors()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulator:Models:0"] = "small",
            ["Simulator:StreamChunks"] = "abc",
            ["Simulator:ChunkDelay"] = "soon",
            ["Simulator:MaxRecordedRequests"] = "-1",
            ["Simulator:Faults:small"] = "bogus",
        }).Build();
        var services = new ServiceCollection();
        services.AddUpstreamSimulator(configuration.GetSection(SimulatorConstants.SectionName));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SimulatorOptions>>().Value);

        Assert.Equal(4, ex.Failures.Count());
        Assert.Contains("Simulator:StreamChunks is 'abc', which is not a whole number such as 8.", ex.Failures);
        Assert.Contains("Simulator:ChunkDelay is 'soon', which is not a duration such as 00:00:00.050.", ex.Failures);
        Assert.Contains(ex.Failures, f => f.StartsWith("Simulator:MaxRecordedRequests is negative"));
        Assert.Contains(ex.Failures, f => f.StartsWith("Simulator:Faults:small:"));
    }

    [Fact]
    public async Task Main_ValueThatDoesNotConvert_ReturnsOneInsteadOfCrashing()
    {
        var exitCode = await Program.Main(["--urls", "http://127.0.0.1:0", "--Simulator:StreamChunks=abc"]);

        Assert.Equal(1, exitCode);
    }

    [Fact]
    public async Task MapUpstreamSimulator_TwoPrefixesOnOneApp_EachServesAndRecordsItsOwn()
    {
        var small = new SimulatorService(Sim.Options("small"));
        var big = new SimulatorService(Sim.Options("big"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapUpstreamSimulator(small, "/upstreams/small");
        app.MapUpstreamSimulator(big, "/upstreams/big");
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var toSmall = await client.PostAsync("/upstreams/small/v1/chat/completions", new StringContent(Sim.ChatBody("small", "hi")), TestContext.Current.CancellationToken);
        using var wrongModel = await client.PostAsync("/upstreams/big/v1/chat/completions", new StringContent(Sim.ChatBody("small", "hi")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, toSmall.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongModel.StatusCode);
        Assert.Equal("/upstreams/small/v1/chat/completions", Assert.Single(small.Journal.Snapshot()).Path);
        Assert.Equal("small", Assert.Single(big.Journal.Snapshot()).Model);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void MapUpstreamSimulator_ServicesNotAdded_ThrowsWithFix()
    {
        var app = WebApplication.CreateSlimBuilder().Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapUpstreamSimulator());

        Assert.Contains("AddUpstreamSimulator", ex.Message);
    }
}
