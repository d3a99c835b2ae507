using Microsoft.Extensions.Options;
using RightSize.Classification;
using RightSize.Gateway.Demo;

namespace RightSize.Gateway;

/// <summary>The gateway process: <c>rightsize-gateway [--demo] [--urls URL] [--config-dir DIR]</c>.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        GatewayApp gateway;
        try
        {
            gateway = await GatewayApp.CreateAsync(args);
        }
        catch (Exception ex) when (ex is OptionsValidationException or ClassifierModelException)
        {
            await Console.Error.WriteLineAsync("RightSize cannot start:");
            var failures = ex is OptionsValidationException validation ? validation.Failures : [ex.Message];
            foreach (var failure in failures) await Console.Error.WriteLineAsync("  - " + failure);
            return 1;
        }

        await using (gateway)
        {
            if (gateway.Demo is { } demo)
            {
                gateway.App.Lifetime.ApplicationStarted.Register(() => DemoBanner.Print(gateway.App, demo));
            }

            try
            {
                await gateway.App.StartAsync();
            }
            catch (IOException ex)
            {
                // Kestrel could not listen, typically an address already in use.
                await Console.Error.WriteLineAsync("RightSize cannot start:");
                await Console.Error.WriteLineAsync("  - " + ex.Message);
                return 1;
            }

            await gateway.App.WaitForShutdownAsync();
        }

        return 0;
    }
}
