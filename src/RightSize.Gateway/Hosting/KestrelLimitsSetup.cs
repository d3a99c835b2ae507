using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RightSize.Server.Configuration;
using static System.FormattableString;

namespace RightSize.Gateway.Hosting;

/// <summary>
/// Kestrel's limits from <c>Kestrel:Limits</c>, named as the properties of
/// <see cref="KestrelServerLimits"/> (<c>MaxConcurrentConnections</c>, <c>KeepAliveTimeout</c>,
/// <c>MinRequestBodyDataRate:BytesPerSecond</c> and <c>:GracePeriod</c>,
/// <c>Http2:MaxStreamsPerConnection</c>...). ASP.NET Core's host reads only <c>Kestrel:Endpoints</c>
/// and certificates from configuration, so without this these keys would be silently ignored. They
/// are read once, at start-up, like the host's other settings.
/// </summary>
/// <remarks>
/// Each key is read on its own, so that an error names it: .NET's configuration binder names
/// neither a value a limit refuses nor, for a data rate, anything at all (it leaves Kestrel's
/// default rate in place, since the rate has no setters).
/// </remarks>
public static class KestrelLimitsSetup
{
    public const string SectionKey = "Kestrel:Limits";

    private const BindingFlags PublicInstanceAnyCase = BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase;

    /// <remarks>
    /// A value Kestrel would not take (a number out of range, a misspelt key, a rate without its
    /// grace period) is reported by the setting's <see cref="KnownSetting.Check"/>: with the
    /// gateway's other errors at start-up, and as a rejected reload.
    /// </remarks>
    public static IServiceCollection AddKestrelLimits(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(new KnownSetting(SectionKey, typeof(KestrelServerLimits)) { Check = Check });
        services.Configure<KestrelServerOptions>(options => Apply(configuration, options.Limits, []));
        return services;
    }

    /// <summary>Adds an error for each <c>Kestrel:Limits</c> key that Kestrel would not take.</summary>
    internal static void Check(IConfiguration configuration, List<string> errors) =>
        Apply(configuration, new KestrelServerLimits(), errors);

    private static void Apply(IConfiguration configuration, KestrelServerLimits limits, List<string> errors)
    {
        foreach (var child in configuration.GetSection(SectionKey).GetChildren())
        {
            object? part = child.Key.ToUpperInvariant() switch
            {
                "HTTP2" => limits.Http2,
                "HTTP3" => limits.Http3,
                _ => null,
            };
            if (part is null)
            {
                Set(child, limits, errors);
            }
            else if (!string.IsNullOrEmpty(child.Value))
            {
                errors.Add($"{child.Path}: needs a section of {part.GetType().Name} settings, such as {child.Path}:MaxRequestHeaderFieldSize");
            }
            else
            {
                foreach (var setting in child.GetChildren()) Set(setting, part, errors);
            }
        }

        CheckBufferFitsRequestHead(limits, errors);
    }

    private static void Set(IConfigurationSection setting, object owner, List<string> errors)
    {
        if (Set(setting, owner) is { } error) errors.Add($"{setting.Path}: {error}");
    }

    /// <summary>
    /// The rules between limits that Kestrel checks only when it starts (its own exception would
    /// end the process): a request line and the request's headers must fit
    /// in the request buffer.
    /// </summary>
    private static void CheckBufferFitsRequestHead(KestrelServerLimits limits, List<string> errors)
    {
        if (limits.MaxRequestBufferSize is not { } buffer) return;
        if (buffer < limits.MaxRequestLineSize)
        {
            errors.Add(Invariant($"{SectionKey}:MaxRequestBufferSize: {buffer} is less than MaxRequestLineSize ({limits.MaxRequestLineSize}); Kestrel needs the buffer to hold a request line."));
        }

        if (buffer < limits.MaxRequestHeadersTotalSize)
        {
            errors.Add(Invariant($"{SectionKey}:MaxRequestBufferSize: {buffer} is less than MaxRequestHeadersTotalSize ({limits.MaxRequestHeadersTotalSize}); Kestrel needs the buffer to hold a request's headers."));
        }
    }

    /// <summary>Sets one limit; the reason it cannot be set otherwise.</summary>
    private static string? Set(IConfigurationSection setting, object owner)
    {
        var property = owner.GetType().GetProperty(setting.Key, PublicInstanceAnyCase);
        if (property is not { CanWrite: true }) return $"is not one of Kestrel's limits (see {owner.GetType().Name})";
        if (property.PropertyType == typeof(MinDataRate)) return SetRate(setting, property, owner);

        if (setting.GetChildren().Any()) return $"needs {Describe(property.PropertyType)}, not a section";
        var nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null;
        if (string.IsNullOrEmpty(setting.Value))
        {
            // Empty (null in JSON) is "no limit" where Kestrel has one, and no value otherwise.
            return nullable ? Assign(property, owner, null) : $"needs {Describe(property.PropertyType)}";
        }

        if (IsDuration(property.PropertyType) && DurationText.IsBareDays(setting.Value))
        {
            return $"'{setting.Value}' is a number of days; give {Describe(property.PropertyType)}";
        }

        try
        {
            return Assign(property, owner, setting.Get(property.PropertyType));
        }
        catch (InvalidOperationException)
        {
            return $"'{setting.Value}' is not {Describe(property.PropertyType)}";
        }
    }

    /// <summary>
    /// A data rate is <c>BytesPerSecond</c> and <c>GracePeriod</c> together; an empty value
    /// (<c>null</c> in JSON) removes the minimum.
    /// </summary>
    private static string? SetRate(IConfigurationSection setting, PropertyInfo property, object owner)
    {
        var parts = setting.GetChildren().ToList();
        if (parts.Count == 0)
        {
            return string.IsNullOrEmpty(setting.Value)
                ? Assign(property, owner, null)
                : "needs BytesPerSecond and GracePeriod (for example 240 and 00:00:05), or null for no minimum";
        }

        if (parts.FirstOrDefault(part => !IsRatePart(part.Key)) is { } unknown) return $"has '{unknown.Key}', which is not BytesPerSecond or GracePeriod";
        var bytesPerSecond = setting[nameof(MinDataRate.BytesPerSecond)];
        var gracePeriod = setting[nameof(MinDataRate.GracePeriod)];
        if (!double.TryParse(bytesPerSecond, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || !double.IsFinite(rate))
        {
            return $"BytesPerSecond '{bytesPerSecond}' is not a number";
        }

        if (!TimeSpan.TryParse(gracePeriod, CultureInfo.InvariantCulture, out var grace) || DurationText.IsBareDays(gracePeriod))
        {
            return $"GracePeriod '{gracePeriod}' is not a duration (for example 00:00:05)";
        }

        try
        {
            return Assign(property, owner, new MinDataRate(rate, grace));
        }
        catch (ArgumentException ex)
        {
            return Reason(ex);
        }
    }

    private static bool IsRatePart(string key) =>
        key.Equals(nameof(MinDataRate.BytesPerSecond), StringComparison.OrdinalIgnoreCase)
        || key.Equals(nameof(MinDataRate.GracePeriod), StringComparison.OrdinalIgnoreCase);

    /// <summary>Kestrel's setters check their values; a refused one gives the setter's reason.</summary>
    private static string? Assign(PropertyInfo property, object owner, object? value)
    {
        try
        {
            property.SetValue(owner, value);
            return null;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is ArgumentException reason)
        {
            return Reason(reason);
        }
    }

    /// <summary>An argument exception's message without .NET's "(Parameter 'value')" and "Actual value was" lines.</summary>
    private static string Reason(ArgumentException ex)
    {
        var message = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);
        return message.Split('\n', 2)[0].Trim();
    }

    private static bool IsDuration(Type type) => (Nullable.GetUnderlyingType(type) ?? type) == typeof(TimeSpan);

    private static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(TimeSpan) => "a duration (for example 00:02:10)",
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t => $"a {t.Name}",
    };
}
