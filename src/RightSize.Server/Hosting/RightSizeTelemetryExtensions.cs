using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RightSize.Server.Endpoints;
using RightSize.Server.Observability;
using RightSize.Server.Stats;
using RightSize.Server.Telemetry;

namespace RightSize.Server.Hosting;

/// <summary>
/// Registers and maps the gateway's telemetry: OpenTelemetry metrics and traces (RightSize's own
/// instruments and spans, ASP.NET Core and HttpClient instrumentation, a Prometheus scrape
/// endpoint, OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), the request observer
/// behind them, the stats store, <c>GET /rightsize/stats</c> and <c>GET /rightsize/dashboard</c>.
/// Both calls are idempotent.
/// </summary>
public static class RightSizeTelemetryExtensions
{
    public static IServiceCollection AddRightSizeTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(TelemetryRegistration)) return services;
        }

        services.AddSingleton<TelemetryRegistration>();
        var section = configuration.GetSection(TelemetryOptions.SectionName);
        // Start-only settings: bound by Configure rather than Bind, which would also register a
        // change-token source. With one, every reload re-binds and re-validates the options
        // monitor ValidateOnStart keeps, and an invalid file then throws out of the reload on top
        // of the snapshot store's rejection (event 101), which already reports it.
        services.AddOptions<TelemetryOptions>().Configure(options => section.Bind(options)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>>(new TracingSamplerValidator(configuration));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics(GatewayMeters.Enable);
        services.TryAddSingleton<GatewayMetrics>();
        services.AddHostedService<CostSeriesInitializer>();
        services.AddHostedService<OpenTelemetryDiagnostics>();
        services.TryAddSingleton<StatsStore>();
        services.TryAddSingleton<StatsEndpoints>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestObserver, TelemetryRequestObserver>());

        var otlp = !string.IsNullOrWhiteSpace(configuration[TelemetryConstants.OtlpEndpointKey]);
        var prometheus = TelemetryOptions.ReadSwitch(configuration, nameof(TelemetryOptions.Prometheus)) ?? true;
        // An empty name is reported by the options validation at start; never throw here.
        var serviceName = section[nameof(TelemetryOptions.ServiceName)] is { } named && !string.IsNullOrWhiteSpace(named) ? named : TelemetryConstants.DefaultServiceName;
        var serviceNameFromEnvironment = !string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]);
        var quietPaths = new PathString[]
        {
            // A malformed path is reported by the options validation at start; never throw here.
            PathString.FromUriComponent(section[nameof(TelemetryOptions.PrometheusPath)] is { Length: > 0 } metrics && metrics[0] == '/' ? metrics : TelemetryConstants.DefaultPrometheusPath),
            new(TelemetryConstants.StatsPath),
            new(TelemetryConstants.DashboardPath),
            new(GatewayPaths.Live),
            new(GatewayPaths.Ready),
        };

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (!serviceNameFromEnvironment) resource.AddService(serviceName);
            })
            .WithMetrics(metrics =>
            {
                // No AddMeter here: the meters are enabled by GatewayMeters' rules, which tell this
                // host's meters from those of another host in the same process.
                if (prometheus) metrics.AddPrometheusExporter();
                if (otlp) metrics.AddOtlpExporter();
            });

        // Without tracing there is no tracer provider at all, rather than one that samples every
        // span out: that one would also mark the trace context sent upstream as not sampled, so a
        // traced client's upstream would drop its spans. With none, and no propagator on the
        // outbound handler, the context passes on as the client sent it, and none when it sent none.
        var traced = TracingSampler.IsEnabled(configuration);
        services.TryAddSingleton(TracePropagation.For(traced));
        if (traced)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.SetSampler(TracingSampler.Create(configuration))
                    .AddSource(TelemetryNames.ActivitySourceName)
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => IsGatewayRequest(context) && !IsQuiet(context.Request.Path, quietPaths))
                    .AddHttpClientInstrumentation();
                if (otlp) tracing.AddOtlpExporter();
            });
        }

        return services;
    }

    public static IEndpointRouteBuilder MapRightSizeTelemetry(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var registration = services.GetService<TelemetryRegistration>()
            ?? throw new InvalidOperationException("RightSize telemetry services are missing: call services.AddRightSizeTelemetry(configuration) before MapRightSizeTelemetry().");
        if (!registration.TryMarkMapped()) return endpoints;

        var options = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        var stats = services.GetRequiredService<StatsEndpoints>();
        if (options.Prometheus)
        {
            // GET and HEAD only, as the other read-only endpoints: any other method gets their 405
            // (the exporter's own endpoint answers every method), from an endpoint ordered after it.
            endpoints.MapPrometheusScrapingEndpoint(options.PrometheusPath)
                .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
            endpoints.Map(options.PrometheusPath, ReadOnlyEndpoints.MethodNotAllowedAsync).WithOrder(1);
        }

        endpoints.MapGetOrHead(TelemetryConstants.StatsPath, stats.StatsAsync);
        endpoints.MapGetOrHead(TelemetryConstants.DashboardPath, StatsEndpoints.DashboardAsync);
        return endpoints;
    }

    // ASP.NET Core's activity source is matched by name, so this provider also sees the requests
    // of any other host in the process, such as the demo's upstream simulators, and would export
    // them under the gateway's service name. A request is the gateway's when its services have
    // the gateway's telemetry; a filtered-out request is marked not recorded for every provider,
    // so the check keeps every gateway's requests (see docs/telemetry.md).
    private static bool IsGatewayRequest(HttpContext context) =>
        context.RequestServices?.GetService<TelemetryRegistration>() is not null;

    private static bool IsQuiet(PathString path, PathString[] quietPaths)
    {
        foreach (var quiet in quietPaths)
        {
            if (path.StartsWithSegments(quiet)) return true;
        }

        return false;
    }
}
