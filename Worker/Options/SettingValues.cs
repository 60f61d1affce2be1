using System.Collections;
using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace MailIntake.Worker.Options;

/// <summary>
/// Checks, before binding, that every configured value can become the type of its setting. The configuration binder
/// would otherwise throw English text ("Failed to convert …") or, inside a list, silently drop the element (a
/// Staff:Members entry with Role: god vanished). Each failure names its key and what it accepts, in zh-TW.
/// </summary>
public static class SettingValues
{
    public static List<string> Check(IConfiguration configuration)
    {
        var failures = new List<string>();
        Check(configuration.GetSection(MailIntakeOptions.SectionName), typeof(MailIntakeOptions), failures);
        return failures;
    }

    private static void Check(IConfigurationSection section, Type type, List<string> failures)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is not null)
            {
                CheckValue(child, property.PropertyType, failures);
            }
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, List<string> failures)
    {
        if (type == typeof(string))
        {
            return;
        }

        if (IsScalar(type))
        {
            if (section.Value is { } value && !Converts(value, type))
            {
                failures.Add($"{section.Path} 之值「{value}」無法辨識（{Accepted(type)}）");
            }

            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var element = type.GetGenericArguments()[0];
            foreach (var item in section.GetChildren())
            {
                CheckValue(item, element, failures);
            }

            return;
        }

        if (type.IsClass && !typeof(IEnumerable).IsAssignableFrom(type))
        {
            Check(section, type, failures);
        }
    }

    private static bool IsScalar(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(decimal) || underlying == typeof(TimeSpan)
            || underlying == typeof(TimeOnly) || underlying == typeof(DateOnly) || underlying == typeof(DateTimeOffset);
    }

    /// <summary>As the binder converts (the type's TypeConverter, invariant culture); an enum must also name one of its values.</summary>
    private static bool Converts(string value, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (value.Length == 0)
        {
            return Nullable.GetUnderlyingType(type) is not null;
        }

        if (underlying.IsEnum)
        {
            return Enum.TryParse(underlying, value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(underlying, parsed!)
                && !value.Trim().All(character => char.IsAsciiDigit(character) || character == '-');
        }

        try
        {
            return TypeDescriptor.GetConverter(underlying).ConvertFromInvariantString(value) is not null;
        }
        catch (Exception exception) when (exception is FormatException or NotSupportedException or ArgumentException or OverflowException
                                             || exception.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string Accepted(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying switch
        {
            _ when underlying.IsEnum => "可用：" + string.Join("、", Enum.GetNames(underlying)),
            _ when underlying == typeof(TimeSpan) => "須為時間長度，例如 04:00:00 或 1.00:00:00",
            _ when underlying == typeof(TimeOnly) => "須為一日之時刻，例如 08:30",
            _ when underlying == typeof(bool) => "須為 true 或 false",
            _ when underlying == typeof(int) || underlying == typeof(long) => "須為整數",
            _ => "格式不符",
        };
    }
}
