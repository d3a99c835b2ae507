using RightSize.Gateway.Demo;

namespace RightSize.Gateway;

/// <summary>The gateway process: <c>rightsize-gateway [--demo] [--urls URL] [--config-dir DIR]</c>.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        await using var gateway = await GatewayApp.CreateAsync(args);
        if (gateway.Demo is { } demo)
        {
            gateway.App.Lifetime.ApplicationStarted.Register(() => DemoBanner.Print(gateway.App, demo));
        }

        await gateway.App.RunAsync();
        return 0;
    }
}
