using RightSize.Server.Endpoints;

namespace RightSize.Gateway.Demo;

/// <summary>Tells the demo user where the gateway listens and what to try.</summary>
public static class DemoBanner
{
    /// <summary>The easy request the banner suggests; the shipped model sends it to a cheaper tier than <see cref="HardPrompt"/>.</summary>
    public const string EasyPrompt = "Translate good morning into Spanish.";

    /// <summary>The hard request the banner suggests, forwarded and as a dry run.</summary>
    public const string HardPrompt = "Prove that there are infinitely many primes p such that p+2 is also prime, step by step.";

    /// <summary>
    /// Writes the banner to <paramref name="output"/> (the console when null) in one write, so that
    /// log lines, which a background thread writes to the same console, do not land inside it.
    /// </summary>
    public static void Print(WebApplication app, DemoUpstreams demo, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(demo);
        var url = ReachableUrl(app.Urls.FirstOrDefault() ?? GatewayApp.DefaultDemoUrl);
        var banner = new System.Text.StringBuilder();
        banner.AppendLine();
        banner.AppendLine($"RightSize demo gateway on {url}, with {demo.Simulators.Count} simulated upstreams (small, mid, frontier).");
        banner.AppendLine("Routes: auto (classifier), support (max tier mid, claims gpt-4o), premium (always frontier).");
        banner.AppendLine("Try an easy and a hard prompt and compare the x-rightsize-* headers:");
        banner.AppendLine();
        banner.AppendLine(Curl("-si", url, "/v1/chat/completions", EasyPrompt));
        banner.AppendLine(Curl("-si", url, "/v1/chat/completions", HardPrompt));
        banner.AppendLine();
        banner.AppendLine("See why, without forwarding (a dry run: probabilities, threshold, confidence):");
        banner.AppendLine();
        banner.AppendLine(Curl("-s", url, GatewayPaths.Route, HardPrompt));
        banner.AppendLine();
        (output ?? Console.Out).Write(banner.ToString());
    }

    /// <summary>
    /// <paramref name="url"/> as a client on the same machine reaches it: a listener on every
    /// interface (<c>http://[::]:8080</c>, <c>0.0.0.0</c>, <c>+</c>, <c>*</c>, as in a container)
    /// is printed as <c>localhost</c>, the address that works from the host with a published port.
    /// </summary>
    public static string ReachableUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var hostStart = url.IndexOf("://", StringComparison.Ordinal) + 3;
        if (hostStart < 3) return url;
        foreach (var wildcard in (string[])["[::]", "0.0.0.0", "+", "*"])
        {
            if (string.CompareOrdinal(url, hostStart, wildcard, 0, wildcard.Length) == 0 && url.Length > hostStart + wildcard.Length && url[hostStart + wildcard.Length] is ':' or '/')
            {
                return string.Concat(url.AsSpan(0, hostStart), "localhost", url.AsSpan(hostStart + wildcard.Length));
            }
        }

        return url;
    }

    private static string Curl(string flags, string url, string path, string prompt)
        => $"  curl {flags} {url}{path} -H 'Content-Type: application/json' -d '{{\"model\":\"auto\",\"messages\":[{{\"role\":\"user\",\"content\":\"{prompt}\"}}]}}'";
}
