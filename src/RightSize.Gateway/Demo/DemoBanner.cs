namespace RightSize.Gateway.Demo;

/// <summary>Tells the demo user where the gateway listens and what to try.</summary>
public static class DemoBanner
{
    /// <summary>The easy request the banner suggests; the shipped model sends it to a cheaper tier than <see cref="HardPrompt"/>.</summary>
    public const string EasyPrompt = "Translate good morning into Spanish.";

    /// <summary>The hard request the banner suggests, forwarded and as a dry run.</summary>
    public const string HardPrompt = "Prove that there are infinitely many primes p such that p+2 is also prime, step by step.";

    /// <summary>Writes the banner to <paramref name="output"/> (the console when null).</summary>
    public static void Print(WebApplication app, DemoUpstreams demo, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(demo);
        var url = app.Urls.FirstOrDefault() ?? GatewayApp.DefaultDemoUrl;
        output ??= Console.Out;
        output.WriteLine();
        output.WriteLine($"RightSize demo gateway on {url}, with {demo.Simulators.Count} simulated upstreams (small, mid, frontier).");
        output.WriteLine("Routes: auto (classifier), support (max tier mid, claims gpt-4o), premium (always frontier).");
        output.WriteLine("Try an easy and a hard prompt and compare the x-rightsize-* headers:");
        output.WriteLine();
        output.WriteLine(Curl("-si", url, "/v1/chat/completions", EasyPrompt));
        output.WriteLine(Curl("-si", url, "/v1/chat/completions", HardPrompt));
        output.WriteLine();
        output.WriteLine("See why, without forwarding (a dry run: probabilities, threshold, confidence):");
        output.WriteLine();
        output.WriteLine(Curl("-s", url, "/rightsize/route", HardPrompt));
        output.WriteLine();
    }

    private static string Curl(string flags, string url, string path, string prompt)
        => $"  curl {flags} {url}{path} -H 'Content-Type: application/json' -d '{{\"model\":\"auto\",\"messages\":[{{\"role\":\"user\",\"content\":\"{prompt}\"}}]}}'";
}
