using RightSize.Gateway.Demo;

namespace RightSize.FunctionalTests;

/// <summary>The demo's banner prints addresses a user can paste: a wildcard listener becomes localhost.</summary>
public class DemoBannerTests
{
    [Theory]
    [InlineData("http://[::]:8080", "http://localhost:8080")]
    [InlineData("http://0.0.0.0:8080", "http://localhost:8080")]
    [InlineData("http://+:8080", "http://localhost:8080")]
    [InlineData("http://*:8080/", "http://localhost:8080/")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080")]
    [InlineData("http://[::1]:8080", "http://[::1]:8080")]
    [InlineData("http://gateway.internal:8080", "http://gateway.internal:8080")]
    public void ReachableUrl_WildcardHostBecomesLocalhost(string listening, string printed) =>
        Assert.Equal(printed, DemoBanner.ReachableUrl(listening));
}
