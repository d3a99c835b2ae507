using Microsoft.Extensions.Configuration;

namespace RightSize.Server.Configuration;

/// <summary>
/// Binds the <c>RightSize</c> section entry by entry. The configuration binder silently drops a
/// dictionary entry whose value does not convert (a route with <c>Threshold: high</c> would
/// vanish); binding each upstream, tier and route on its own turns that into an error naming the key.
/// Keys that no setting reads, and nulls that would replace a default, are errors too (<see cref="SettingKeysCheck"/>).
/// </summary>
internal static class RightSizeOptionsReader
{
    public static RightSizeOptions Read(IConfigurationSection section, IReadOnlyCollection<KnownSetting> readElsewhere, List<string> errors)
    {
        var options = new RightSizeOptions();
        SectionShapeCheck.Check(section, errors);
        SettingKeysCheck.Check(section, readElsewhere, errors);
        SectionBinding.TryBind(section.GetSection(nameof(RightSizeOptions.Classifier)), options.Classifier, errors);
        SectionBinding.TryBind(section.GetSection(nameof(RightSizeOptions.Gateway)), options.Gateway, errors);
        SectionBinding.TryBind(section.GetSection(nameof(RightSizeOptions.Passthrough)), options.Passthrough, errors);
        BindEntries(section.GetSection(nameof(RightSizeOptions.Upstreams)), options.Upstreams, errors);
        BindEntries(section.GetSection(nameof(RightSizeOptions.Tiers)), options.Tiers, errors);
        BindEntries(section.GetSection(nameof(RightSizeOptions.Routes)), options.Routes, errors);
        foreach (var route in section.GetSection(nameof(RightSizeOptions.Routes)).GetChildren())
        {
            if (options.Routes.TryGetValue(route.Key, out var routeOptions))
            {
                routeOptions.Tiers.Clear();
                BindEntries(route.GetSection(nameof(RouteOptions.Tiers)), routeOptions.Tiers, errors);
            }
        }

        return options;
    }

    private static void BindEntries<T>(IConfigurationSection section, Dictionary<string, T> target, List<string> errors)
        where T : new()
    {
        foreach (var child in section.GetChildren())
        {
            var value = new T();
            if (SectionBinding.TryBind(child, value, errors)) target[child.Key] = value;
        }
    }
}
