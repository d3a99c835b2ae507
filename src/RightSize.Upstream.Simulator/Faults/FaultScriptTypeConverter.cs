using System.ComponentModel;
using System.Globalization;

namespace RightSize.Upstream.Simulator.Faults;

/// <summary>Lets configuration bind a <see cref="FaultScript"/> from its text, as in <c>Simulator:Faults:gpt-4.1=status=503</c>.</summary>
public sealed class FaultScriptTypeConverter : TypeConverter
{
    /// <inheritdoc />
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType)
        => sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    /// <inheritdoc />
    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType)
        => destinationType == typeof(string) || base.CanConvertTo(context, destinationType);

    /// <inheritdoc />
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
        => value is string text ? FaultScript.Parse(text) : base.ConvertFrom(context, culture, value);

    /// <inheritdoc />
    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType)
        => destinationType == typeof(string) && value is FaultScript script
            ? script.ToString()
            : base.ConvertTo(context, culture, value, destinationType);
}
