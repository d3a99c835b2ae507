using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RightSize.Upstream.Simulator.Faults;
using RightSize.Upstream.Simulator.Handling;
using RightSize.Upstream.Simulator.Journal;
using RightSize.Upstream.Simulator.Protocol;

namespace RightSize.Upstream.Simulator;

/// <summary>
/// One simulated upstream: its settings (a snapshot of <see cref="SimulatorOptions"/> taken here),
/// its <see cref="Journal"/> and its <see cref="Faults"/>. Map it onto any app with
/// <see cref="SimulatorEndpointRouteBuilderExtensions.MapUpstreamSimulator(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder, SimulatorService, string)"/>,
/// or run it on its own Kestrel with <see cref="UpstreamSimulator"/>.
/// </summary>
public sealed class SimulatorService
{
    private readonly RequestHandler _handler;

    /// <summary>Validates the options (throwing <see cref="OptionsValidationException"/> with every error) and snapshots them.</summary>
    public SimulatorService(SimulatorOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new SimulatorOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(SimulatorOptions), validation.Failures);
        }

        Options = options;
        Journal = new RequestJournal(options.MaxRecordedRequests);
        Faults = new FaultTable(options.Faults);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("RightSize.Upstream.Simulator");
        _handler = new RequestHandler(new SimulatorSettings(options), Journal, Faults, timeProvider ?? TimeProvider.System, logger);
    }

    /// <summary>The options this simulator was created with (later changes to them are not seen, except through <see cref="Faults"/>).</summary>
    public SimulatorOptions Options { get; }

    /// <summary>Every request received.</summary>
    public RequestJournal Journal { get; }

    /// <summary>The per-model fault scripts, changeable while running.</summary>
    public FaultTable Faults { get; }

    internal Task HandleAsync(HttpContext context, SimulatorOperation operation) => _handler.HandleAsync(context, operation);
}
