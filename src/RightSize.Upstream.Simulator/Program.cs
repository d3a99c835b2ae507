using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RightSize.Upstream.Simulator;

/// <summary>
/// The standalone simulator: <c>dotnet run --project src/RightSize.Upstream.Simulator -- --urls http://127.0.0.1:9100</c>,
/// options from the <c>Simulator</c> configuration section (appsettings.json, <c>Simulator__...</c>
/// environment variables, <c>--Simulator:Models:0=name</c> arguments).
/// </summary>
public static class Program
{
    /// <summary>Runs the simulator until it is stopped; returns 1 when its options are invalid.</summary>
    public static async Task<int> Main(string[] args)
    {
        try
        {
            var builder = WebApplication.CreateSlimBuilder(args);
            builder.Services.AddUpstreamSimulator(builder.Configuration.GetSection(SimulatorConstants.SectionName));
            await using var app = builder.Build();
            app.MapUpstreamSimulator();
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                var options = app.Services.GetRequiredService<SimulatorService>().Options;
                var models = options.Models.Count == 0 ? "any model" : string.Join(", ", options.Models);
                Console.WriteLine($"RightSize upstream simulator serving {models} on {string.Join(", ", app.Urls)}");
            });

            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("Invalid simulator configuration:");
            foreach (var failure in ex.Failures)
            {
                await Console.Error.WriteLineAsync("  - " + failure);
            }

            return 1;
        }
    }
}
