using Microsoft.Extensions.Options;
using RightSize.Classification;
using RightSize.Gateway.Demo;

namespace RightSize.Gateway;

/// <summary>The gateway process: <c>rightsize-gateway [--demo] [--urls URL] [--config-dir DIR] [--check-config]</c>.</summary>
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
            // --check-config fails here too, with the same lines: it is this start, stopped before listening.
            await WriteCannotStartAsync(ex is OptionsValidationException validation ? validation.Failures : [ex.Message]);
            return 1;
        }

        await using (gateway)
        {
            if (gateway.CheckOnly)
            {
                await Console.Out.WriteLineAsync(ConfigurationCheck.Summary(gateway));
                return 0;
            }

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
                await WriteCannotStartAsync([ex.Message]);
                return 1;
            }

            await gateway.App.WaitForShutdownAsync();
        }

        return 0;
    }

    private static async Task WriteCannotStartAsync(IEnumerable<string> failures)
    {
        await Console.Error.WriteLineAsync("RightSize cannot start:");
        foreach (var failure in failures) await Console.Error.WriteLineAsync("  - " + failure);
    }
}
