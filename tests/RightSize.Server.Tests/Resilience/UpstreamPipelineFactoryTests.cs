using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Polly;
using Polly.CircuitBreaker;
using RightSize.Server.Model;
using RightSize.Server.Resilience;
using RightSize.Server.Tests.Stats;

namespace RightSize.Server.Tests.Resilience;

/// <summary>The circuit breaker of an upstream's pipeline: what opens it, and what may close it again.</summary>
public sealed class UpstreamPipelineFactoryTests
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly UpstreamCircuit _circuit;
    private readonly FakeLogger _logger = new();
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public UpstreamPipelineFactoryTests()
    {
        _circuit = new UpstreamCircuit(_time);
        _pipeline = UpstreamPipelineFactory.Create(
            new UpstreamResilience(TimeSpan.FromSeconds(10), CircuitBreakerEnabled: true, FailureRatio: 0.5, MinimumThroughput: 2, TimeSpan.FromSeconds(30), BreakDuration),
            _time,
            _circuit,
            _logger,
            "openai");
    }

    [Fact]
    public async Task HalfOpenTrial_CancelledByTheClient_DoesNotCloseTheCircuit()
    {
        await OpenAsync();
        _time.Advance(BreakDuration + TimeSpan.FromSeconds(1));

        // The one trial call of the half-open circuit ends because its client left: it proved nothing.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SendAsync(_ => throw new OperationCanceledException()));

        Assert.Equal(CircuitState.Open, _circuit.State);
    }

    [Fact]
    public async Task HalfOpenTrial_Answered_ClosesTheCircuit()
    {
        await OpenAsync();
        _time.Advance(BreakDuration + TimeSpan.FromSeconds(1));

        using var response = await SendAsync(_ => new HttpResponseMessage(HttpStatusCode.OK));

        Assert.Equal(CircuitState.Closed, _circuit.State);
    }

    [Fact]
    public async Task Circuit_OpensThenRecovers_EachChangeLoggedWithTheUpstreamsName()
    {
        await OpenAsync();
        _time.Advance(BreakDuration + TimeSpan.FromSeconds(1));
        using var response = await SendAsync(_ => new HttpResponseMessage(HttpStatusCode.OK));

        var changes = _logger.Collector.GetSnapshot().Select(r => (r.Id.Id, r.Level, r.Message)).ToList();
        Assert.Equal(
            [
                (210, LogLevel.Warning, "Circuit of upstream openai opened for 00:00:30; the last failure: status 503"),
                (211, LogLevel.Information, "Circuit of upstream openai half-open: the next request tries it"),
                (212, LogLevel.Information, "Circuit of upstream openai closed"),
            ],
            changes);
    }

    [Fact]
    public async Task OpenCircuit_BreakOverAndNoRequestYet_ReportedHalfOpen()
    {
        // Polly keeps it Open until a call comes; /readyz and the gauge say what the next request meets.
        await OpenAsync();
        _time.Advance(BreakDuration - TimeSpan.FromSeconds(1));
        Assert.Equal("open", _circuit.StateName);

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(CircuitState.Open, _circuit.Provider.CircuitState);
        Assert.Equal(CircuitState.HalfOpen, _circuit.State);
        Assert.Equal("half-open", _circuit.StateName);
    }

    [Fact]
    public async Task HalfOpenTrial_Fails_OpenForAnotherBreak()
    {
        await OpenAsync();
        _time.Advance(BreakDuration);

        using (await SendAsync(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)))
        {
            Assert.Equal("open", _circuit.StateName);
        }

        _time.Advance(BreakDuration - TimeSpan.FromSeconds(1));
        Assert.Equal("open", _circuit.StateName);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("half-open", _circuit.StateName);
    }

    [Fact]
    public void Opened_EndlessBreak_NoOverflow()
    {
        // Polly's manual isolation opens with a break of TimeSpan.MaxValue.
        var circuit = new UpstreamCircuit(_time);

        circuit.Opened(TimeSpan.MaxValue);

        Assert.Equal(CircuitState.Closed, circuit.State); // Polly's own state decides; the break only turns Open into half-open
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)] // rate limits are per model: one model's 429s must not shut out the upstream's others
    [InlineData(HttpStatusCode.RequestTimeout)] // the upstream answered
    [InlineData(HttpStatusCode.Unauthorized)] // a refused key is the operator's to fix, not a break's
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.Found)] // a misconfigured URL, likewise
    public async Task ClosedCircuit_AnswersThatAreNoOutage_DoNotOpen(HttpStatusCode status)
    {
        for (var i = 0; i < 6; i++)
        {
            using var response = await SendAsync(_ => new HttpResponseMessage(status));
        }

        Assert.Equal(CircuitState.Closed, _circuit.State);
    }

    [Fact]
    public async Task ClosedCircuit_ClientCancellations_DoNotOpenIt()
    {
        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SendAsync(_ => throw new OperationCanceledException()));
        }

        Assert.Equal(CircuitState.Closed, _circuit.State);
    }

    private async Task OpenAsync()
    {
        for (var i = 0; i < 2; i++)
        {
            using var response = await SendAsync(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }

        Assert.Equal(CircuitState.Open, _circuit.State);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<CancellationToken, HttpResponseMessage> upstream) =>
        await _pipeline.ExecuteAsync(token => ValueTask.FromResult(upstream(token)), TestContext.Current.CancellationToken);
}
