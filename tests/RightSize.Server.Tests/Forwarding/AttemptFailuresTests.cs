using System.Net.Http;
using System.Net.Sockets;
using RightSize.Server.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace RightSize.Server.Tests.Forwarding;

/// <summary>The failure names of <c>x-rightsize-reason: fallback:…</c> for transport errors, as HttpClient reports them.</summary>
public sealed class AttemptFailuresTests
{
    [Theory]
    [InlineData(SocketError.ConnectionRefused, HttpRequestError.ConnectionError, "connect-refused")]
    [InlineData(SocketError.HostNotFound, HttpRequestError.NameResolutionError, "connect-refused")] // "Name or service not known"
    [InlineData(SocketError.TryAgain, HttpRequestError.NameResolutionError, "connect-refused")] // "Temporary failure in name resolution"
    [InlineData(SocketError.NoData, HttpRequestError.NameResolutionError, "connect-refused")]
    [InlineData(SocketError.NetworkUnreachable, HttpRequestError.ConnectionError, "connect-refused")]
    [InlineData(SocketError.ConnectionReset, HttpRequestError.Unknown, "connection-reset")]
    [InlineData(SocketError.AccessDenied, HttpRequestError.Unknown, "upstream-error")]
    public void ForError_SocketErrorInsideHttpClientsException_NamedByTheSocketError(SocketError socket, HttpRequestError http, string expected)
    {
        var exception = new HttpRequestException(http, "sending failed", new SocketException((int)socket));

        Assert.Equal(expected, AttemptFailures.ForError(ForwarderError.Request, exception));
    }

    [Fact]
    public void ForError_HeadersTimeoutWhileTheBodyWasStillBeingSent_IsATimeout()
    {
        // What YARP reports when the headers timeout fires before the upstream has read the body:
        // the write's failure and the timeout together, the timeout not first.
        var exception = new AggregateException(
            new IOException("Unable to write data to the transport connection: Operation canceled."),
            new Polly.Timeout.TimeoutRejectedException("The operation didn't complete within the allowed timeout of '00:00:01'."));

        Assert.Equal("timeout", AttemptFailures.ForError(ForwarderError.RequestBodyDestination, exception));
    }

    [Fact]
    public void ForError_OpenCircuitInsideAnAggregate_IsCircuitOpen() =>
        Assert.Equal("circuit-open", AttemptFailures.ForError(
            ForwarderError.Request,
            new AggregateException(new IOException("cancelled"), new Polly.CircuitBreaker.BrokenCircuitException("open"))));

    [Theory]
    [InlineData(HttpRequestError.NameResolutionError, "connect-refused")]
    [InlineData(HttpRequestError.ConnectionError, "connect-refused")]
    [InlineData(HttpRequestError.ResponseEnded, "connection-reset")]
    [InlineData(HttpRequestError.SecureConnectionError, "tls-error")]
    [InlineData(HttpRequestError.InvalidResponse, "upstream-error")]
    [InlineData(HttpRequestError.ProxyTunnelError, "upstream-error")]
    public void ForError_HttpClientsErrorWithoutASocketError_NamedByItsKind(HttpRequestError http, string expected)
    {
        Assert.Equal(expected, AttemptFailures.ForError(ForwarderError.Request, new HttpRequestException(http, "sending failed")));
    }
}
