using System.Globalization;
using System.Text.RegularExpressions;

namespace RightSize.Deployment.Tests.Configuration;

/// <summary>The gateway's configuration gauges (<c>rightsize_config_generation</c>, <c>rightsize_config_rejected</c>) read from <c>/metrics</c>.</summary>
internal static partial class ConfigGauges
{
    public const string Generation = "rightsize_config_generation";
    public const string Rejected = "rightsize_config_rejected";

    /// <summary>The gauge's one value in <paramref name="metrics"/>; -1 when it has no line.</summary>
    public static int Read(string metrics, string name)
    {
        var values = GaugeLine().Matches(metrics).Where(m => m.Groups["name"].Value == name).ToList();
        Assert.True(values.Count <= 1, $"{name} has {values.Count} lines");
        return values.Count == 0 ? -1 : int.Parse(values[0].Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The gauge from <c>/metrics</c>, scraped again (bounded by <paramref name="timeout"/>) until it
    /// is <paramref name="expected"/>, since the exporter may answer from its cache; the last value
    /// read otherwise, -1 when no scrape had the line.
    /// </summary>
    public static async Task<int> ReadAsync(HttpClient gateway, string name, int expected, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var value = Read(await gateway.GetStringAsync("metrics", TestContext.Current.CancellationToken), name);
            if (value == expected || DateTimeOffset.UtcNow > deadline) return value;
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    [GeneratedRegex(@"^(?<name>rightsize_config_\w+)(?:\{[^}]*\})? (?<value>\d+)", RegexOptions.Multiline)]
    private static partial Regex GaugeLine();
}
