using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RightSize.Server.Telemetry;

/// <summary>Reports a trace sampler setting (<c>OTEL_TRACES_SAMPLER</c>, <c>OTEL_TRACES_SAMPLER_ARG</c>) the gateway cannot use, with the other telemetry errors at start-up.</summary>
internal sealed class TracingSamplerValidator(IConfiguration configuration) : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options) =>
        TracingSampler.TryCreate(configuration, out _, out var error) ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(error!);
}
