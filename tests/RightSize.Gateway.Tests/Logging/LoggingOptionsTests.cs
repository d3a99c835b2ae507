using Microsoft.Extensions.Configuration;
using RightSize.Gateway.Logging;

namespace RightSize.Gateway.Tests.Logging;

/// <summary><c>RightSize:Logging</c> is read at start-up; a value the reader cannot use is an error, not an exception or a silent default.</summary>
public sealed class LoggingOptionsTests
{
    [Fact]
    public void Read_IncludeContentNotABoolean_OneErrorNamingTheKeyAndTheDefaults()
    {
        var errors = new List<string>();

        var options = LoggingOptions.Read(Configuration(("RightSize:Logging:IncludeContent", "yes")), errors);

        Assert.Contains("'RightSize:Logging:IncludeContent'", Assert.Single(errors), StringComparison.Ordinal);
        Assert.False(options.IncludeContent);
    }

    [Fact]
    public void Read_ConsoleFormatMisspelt_OneErrorNamingBothFormats()
    {
        var errors = new List<string>();

        var options = LoggingOptions.Read(Configuration(("RightSize:Logging:Console", "txt"), ("RightSize:Logging:IncludeContent", "true")), errors);

        Assert.Equal(["RightSize:Logging:Console must be json or text; it is 'txt'."], errors);
        Assert.Equal("json", options.Console);
        Assert.False(options.IncludeContent);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("Text")]
    [InlineData("JSON")]
    public void Read_KnownConsoleFormatInAnyCase_NoError(string format)
    {
        var errors = new List<string>();

        var options = LoggingOptions.Read(Configuration(("RightSize:Logging:Console", format), ("RightSize:Logging:IncludeContent", "true")), errors);

        Assert.Empty(errors);
        Assert.Equal(format, options.Console);
        Assert.True(options.IncludeContent);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
