using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Prometheus;

/// <summary>
/// The alerts of deploy/k8s/overlays/standalone/prometheusrule.yaml evaluated by Prometheus' own
/// rule engine (<c>promtool test rules</c>, Debian's prometheus package) over made-up series in
/// alerts.test.yml: when each fires, with which labels, and the text its annotations render.
/// </summary>
public sealed class AlertRuleUnitTests
{
    [Fact]
    public async Task PromtoolTestRules_EveryAlertFiresWhenItShouldAndOnlyThen()
    {
        var promtool = Command.Which("promtool");
        if (promtool is null)
        {
            Assert.False(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), "promtool is missing on CI: .ci/run must install the Debian package prometheus.");
            Assert.Skip("promtool is not installed (apt-get install prometheus); the alerts were not evaluated.");
        }

        using var directory = new TempDirectory("rightsize-alerts-");
        await File.WriteAllTextAsync(directory.Combine("rules.yml"), RulesFile(), TestContext.Current.CancellationToken);
        File.Copy(Repository.PathOf("tests", "RightSize.Deployment.Tests", "Prometheus", "alerts.test.yml"), directory.Combine("alerts.test.yml"));

        var result = await Command.RunAsync(promtool, ["test", "rules", "alerts.test.yml"], TimeSpan.FromMinutes(2), directory.Path);

        Assert.True(result.ExitCode == 0, "promtool test rules failed: " + result.Describe());
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The rule's <c>spec</c> as a Prometheus rules file, which the manifest says it is as it stands:
    /// the lines under <c>spec:</c>, one indentation level out.
    /// </summary>
    private static string RulesFile()
    {
        var lines = File.ReadAllLines(Repository.PathOf("deploy", "k8s", "overlays", "standalone", "prometheusrule.yaml"));
        var spec = Array.IndexOf(lines, "spec:");
        Assert.True(spec >= 0, "prometheusrule.yaml has no top-level spec:");
        return string.Join('\n', lines[(spec + 1)..].Select(line => line.StartsWith("  ", StringComparison.Ordinal) ? line[2..] : line)) + "\n";
    }
}
