using Microsoft.Extensions.Options;
using RightSize.Classification;
using RightSize.Gateway.Demo;

namespace RightSize.Gateway;

/// <summary>The gateway process: <c>rightsize-gateway [--demo] [--urls URL] [--config-dir DIR] [--check-config]</c>.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (CommandLine.Check(args) is { Count: > 0 } wrongArguments)
        {
            await WriteCannotStartAsync(wrongArguments);
            return 1;
        }

        GatewayApp gateway;
        try
        {
            gateway = await GatewayApp.CreateAsync(args);
        }
        catch (Exception ex) when (ex is OptionsValidationException or ClassifierModelException or IOException)
        {
            // IOException: a file the start reads cannot be read (a symbolic link that loops, a
            // Serilog "Using" assembly that is not there), a configuration error, not a crash.
            // --check-config fails here too, with the same lines: it is this start, stopped before listening.
            IEnumerable<string> failures = ex is OptionsValidationException validation ? validation.Failures : [ex.Message];
            if (GatewayConfiguration.MissingFileNote(args) is { } note) failures = failures.Append(note);
            await WriteCannotStartAsync(failures);
            return 1;
        }

        string? cannotListen = null;
        await using (gateway)
        {
            if (gateway.CheckOnly)
            {
                await Console.Out.WriteLineAsync(ConfigurationCheck.Summary(gateway));
                foreach (var note in ConfigurationCheck.Notes(gateway)) await Console.Error.WriteLineAsync("warning: " + note);
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
                cannotListen = ex.Message;
            }

            if (cannotListen is null) await gateway.App.WaitForShutdownAsync();
        }

        // Written once the gateway is disposed, so after the log lines it had queued (the host's own
        // error for the failed start among them): this stays the last thing an operator reads.
        if (cannotListen is null) return 0;
        await WriteCannotStartAsync([cannotListen]);
        return 1;
    }

    private static async Task WriteCannotStartAsync(IEnumerable<string> failures)
    {
        await Console.Error.WriteLineAsync("RightSize cannot start:");
        foreach (var failure in failures) await Console.Error.WriteLineAsync("  - " + failure);
    }
}
