using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace RightSize.Server.Configuration;

/// <summary>
/// Reports the keys under <c>RightSize</c> whose value the configuration binder would lose
/// without a word: a key that no setting reads (a misspelt <c>Treshold</c> would leave a route on
/// the default threshold), and a setting given a JSON <c>null</c> (or <c>{}</c>) where it has a
/// default (the binder would set <c>"Threshold": null</c> to 0 and <c>"Enabled": null</c> to
/// false). The known keys are the public properties of <see cref="RightSizeOptions"/> and the
/// types below it, followed level by level (entries of a dictionary or list take the element
/// type), plus the <see cref="KnownSetting"/>s read elsewhere. Names match without regard to case,
/// as the binder matches them.
/// </summary>
internal static class SettingKeysCheck
{
    public static void Check(IConfigurationSection rightSize, IReadOnlyCollection<KnownSetting> readElsewhere, List<string> errors) =>
        Walk(rightSize, typeof(RightSizeOptions), readElsewhere, errors);

    private static void Walk(IConfigurationSection section, Type type, IReadOnlyCollection<KnownSetting> elsewhere, List<string> errors)
    {
        if (IsValue(type)) return;

        if (EntryType(type) is { } entryType)
        {
            foreach (var entry in section.GetChildren()) Walk(entry, entryType, elsewhere, errors);
            return;
        }

        var settings = Settings(type, section.Path, elsewhere);
        foreach (var child in section.GetChildren())
        {
            if (!settings.TryGetValue(child.Key, out var setting))
            {
                errors.Add(Describe(child, section.Path, settings.Keys));
            }
            else if (IsValue(setting.Type) && child.Value is null && !child.GetChildren().Any()
                && setting.Default is { } defaultValue && BoundFromNull(setting.Type) is var bound && !Equals(bound, defaultValue))
            {
                errors.Add(DescribeNull(child, bound, defaultValue));
            }
            else if (IsDuration(setting.Type) && !setting.ReadElsewhere && DurationText.IsBareDays(child.Value))
            {
                errors.Add($"{child.Path} is '{child.Value}', which would read as that many days. Write a duration as hh:mm:ss, such as 00:00:30.");
            }
            else
            {
                Walk(child, setting.Type, elsewhere, errors);
            }
        }
    }

    /// <summary>
    /// A setting's type and its default: the value a fresh options object holds (null when it holds
    /// none). A setting read elsewhere checks its own values (<see cref="KnownSetting.Check"/>).
    /// </summary>
    private readonly record struct Setting(Type Type, object? Default, bool ReadElsewhere = false);

    /// <summary>The settings at one level: the type's properties, and the keys read elsewhere whose parent is <paramref name="path"/>.</summary>
    private static Dictionary<string, Setting> Settings(Type type, string path, IReadOnlyCollection<KnownSetting> elsewhere)
    {
        var settings = new Dictionary<string, Setting>(StringComparer.OrdinalIgnoreCase);
        var fresh = type.GetConstructor(Type.EmptyTypes) is null ? null : Activator.CreateInstance(type);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0) settings[property.Name] = new Setting(property.PropertyType, fresh is null ? null : property.GetValue(fresh));
        }

        foreach (var known in elsewhere)
        {
            var split = known.Key.LastIndexOf(':');
            if (split > 0 && string.Equals(known.Key[..split], path, StringComparison.OrdinalIgnoreCase))
            {
                // Read elsewhere, so its default is not known here: a null is not reported for it.
                settings[known.Key[(split + 1)..]] = new Setting(known.Type, null, ReadElsewhere: true);
            }
        }

        return settings;
    }

    private static string Describe(IConfigurationSection unknown, string parentPath, IEnumerable<string> known)
    {
        var names = known.Order(StringComparer.Ordinal).ToList();
        var guess = names.FirstOrDefault(n => IsNear(n, unknown.Key));
        var hint = guess is null ? string.Empty : $" Did you mean {guess}?";
        return $"{unknown.Path} is not a setting, so it would be ignored.{hint} The settings of {parentPath} are {string.Join(", ", names)}.";
    }

    /// <summary>What the binder makes of a null: default(T) for a value type, null for the rest.</summary>
    private static object? BoundFromNull(Type type) =>
        type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;

    private static string DescribeNull(IConfigurationSection setting, object? bound, object defaultValue) =>
        $"{setting.Path} is null or empty, which would set it to {(bound is null ? "nothing" : Format(bound))} instead of its default, {Format(defaultValue)}. "
        + "Remove the key to keep the default, or give a value.";

    private static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static bool IsDuration(Type type) => (Nullable.GetUnderlyingType(type) ?? type) == typeof(TimeSpan);

    /// <summary>Values, as opposed to sections of settings: numbers, strings, booleans, enums, times, URLs.</summary>
    private static bool IsValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Uri) || type == typeof(Guid);
    }

    /// <summary>The type of each entry when <paramref name="type"/> is a dictionary with string keys, a list or an array.</summary>
    private static Type? EntryType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        var arguments = type.GetGenericArguments();
        if (arguments.Length == 2 && (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))) return arguments[1];
        if (arguments.Length == 1 && (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IEnumerable<>))) return arguments[0];
        return null;
    }

    /// <summary>True when the two names differ by at most two single-character edits (case aside).</summary>
    private static bool IsNear(string known, string given)
    {
        var a = known.ToLowerInvariant();
        var b = given.ToLowerInvariant();
        if (Math.Abs(a.Length - b.Length) > 2) return false;

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length] <= 2;
    }
}
