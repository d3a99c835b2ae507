using Microsoft.Extensions.Options;
using RightSize.Server.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace RightSize.Gateway.Logging;

/// <summary>
/// Serilog for the host: structured JSON lines on stdout by default (<c>RightSize:Logging:Console</c>
/// = <c>json</c>), or readable text (<c>text</c>, used by the demo). Levels come from the
/// <c>Serilog</c> configuration section. Every event carries <c>TraceId</c>/<c>SpanId</c> of the
/// current trace and the request scope (<c>RequestId</c>); content properties are dropped unless
/// <c>RightSize:Logging:IncludeContent</c> is true, credentials always. Sinks, enrichers and
/// filters registered in DI (<c>ILogEventSink</c>, ...) are applied too.
/// </summary>
public static class SerilogSetup
{
    /// <summary>The log category of YARP's forwarder, whose per-attempt warnings repeat the gateway's own.</summary>
    public const string YarpForwarderCategory = "Yarp.ReverseProxy.Forwarder.HttpForwarder";

    /// <summary>
    /// The log category of Kestrel's malformed-request events. At Debug (event 17) they quote the
    /// offending header or request line whole, and so the client's key when that is what was malformed.
    /// </summary>
    public const string KestrelBadRequestsCategory = "Microsoft.AspNetCore.Server.Kestrel.BadRequests";

    /// <summary>
    /// Lines waiting for the console. A request only queues its line; one background thread formats
    /// and writes them. When the queue is full, requests wait for room rather than lose lines.
    /// </summary>
    private const int ConsoleQueueLength = 10_000;

    public static IServiceCollection AddRightSizeSerilog(this IServiceCollection services, IConfiguration configuration)
    {
        // A value that is not valid leaves the defaults here; the check, run by the configuration
        // store at start-up and on every reload, reports it.
        services.AddSingleton(new KnownSetting(LoggingOptions.SectionName, typeof(LoggingOptions))
        {
            Check = (c, errors) =>
            {
                LoggingOptions.Read(c, errors);
                SerilogLevels.Check(c, errors); // outside RightSize, but a reload with a bad level is rejected too
            },
        });
        var options = LoggingOptions.Read(configuration, []);
        var text = string.Equals(options.Console, "text", StringComparison.OrdinalIgnoreCase);
        // preserveStaticLogger: each host logs through its own logger, never the process-wide
        // Log.Logger (which several hosts in one process, as in the functional tests, would share).
        return services.AddSerilog(preserveStaticLogger: true, configureLogger: (provider, logger) =>
        {
            // Serilog would throw on a level it cannot read, before any check has run: stop the
            // start as the configuration checks do, with the value named.
            List<string> levelErrors = [];
            SerilogLevels.Check(configuration, levelErrors);
            if (levelErrors.Count > 0) throw new OptionsValidationException(SerilogLevels.SectionName, typeof(LoggingOptions), levelErrors);

            // YARP warns with a stack trace for every failed attempt, including those an open circuit
            // skips without a call; the gateway's own warning (event 200) names each one with its
            // failure and the exception's message. Configuration may still lower this again.
            logger.MinimumLevel.Override(YarpForwarderCategory, LogEventLevel.Error);
            // Named exactly, so that a Debug override for Kestrel or Microsoft.AspNetCore does not reach it.
            logger.MinimumLevel.Override(KestrelBadRequestsCategory, LogEventLevel.Information);
            logger.ReadFrom.Configuration(configuration)
                .ReadFrom.Services(provider)
                .Enrich.FromLogContext()
                .Enrich.With(new TraceContextEnricher())
                .Enrich.With(new LogRedaction(options.IncludeContent));
            // Written from a queue, off the request's thread: a console write (a system call and
            // Console's lock, shared by every request) otherwise sits in each request's path. The
            // queue is flushed when the host stops; a process killed outright loses what is queued.
            logger.WriteTo.Async(
                queued =>
                {
                    if (text)
                    {
                        queued.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}", formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        queued.Console(new RenderedCompactJsonFormatter());
                    }
                },
                bufferSize: ConsoleQueueLength,
                blockWhenFull: true);
        });
    }
}
