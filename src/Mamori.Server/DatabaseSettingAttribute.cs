using System.ComponentModel.DataAnnotations;
using Mamori.Storage.Postgres;

namespace Mamori.Server;

/// <summary>
/// Validates <see cref="ServerSettings.Database"/> at start: empty (SQLite) or a PostgreSQL URL / connection string
/// that parses. A typo fails the start with the reason, instead of a node that is degraded from its first login.
/// </summary>
/// <remarks>The message never repeats the value: it may hold a password.</remarks>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class DatabaseSettingAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not string text || text.Length == 0) return ValidationResult.Success;
        return PostgresConnectionString.TryParse(text, out _, out string? error)
            ? ValidationResult.Success
            : new ValidationResult($"{ServerSettings.Section}:Database: {error}", [validationContext.MemberName ?? nameof(ServerSettings.Database)]);
    }
}
