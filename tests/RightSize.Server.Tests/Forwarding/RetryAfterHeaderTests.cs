using System.Net.Http.Headers;
using RightSize.Server.Forwarding;

namespace RightSize.Server.Tests.Forwarding;

public class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static TimeSpan? Read(params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage();
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        return RetryAfterHeader.Read(response.Headers, Now);
    }

    [Fact]
    public void Read_Seconds_IsThatWait() => Assert.Equal(TimeSpan.FromSeconds(4), Read(("Retry-After", "4")));

    [Fact]
    public void Read_HttpDate_IsTheTimeUntilThatDate() =>
        Assert.Equal(TimeSpan.FromSeconds(3), Read(("Retry-After", "Tue, 01 Dec 2026 12:00:03 GMT")));

    [Fact]
    public void Read_HttpDateAlreadyPast_IsNoWait() =>
        Assert.Equal(TimeSpan.Zero, Read(("Retry-After", "Tue, 01 Dec 2026 11:59:00 GMT")));

    [Fact]
    public void Read_MillisecondsBesideSeconds_TheMillisecondsWin() =>
        Assert.Equal(TimeSpan.FromMilliseconds(1500), Read(("Retry-After", "2"), ("retry-after-ms", "1500")));

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1e308")]
    public void Read_UnreadableMilliseconds_FallsBackToRetryAfter(string milliseconds) =>
        Assert.Equal(TimeSpan.FromSeconds(2), Read(("Retry-After", "2"), ("retry-after-ms", milliseconds)));

    [Theory]
    [InlineData("soon")]
    [InlineData("")]
    public void Read_NothingReadable_IsNull(string value) => Assert.Null(Read(("Retry-After", value)));

    [Fact]
    public void Read_NoHeader_IsNull() => Assert.Null(Read());
}
