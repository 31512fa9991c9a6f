using System.Data.Common;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>Typed parameters and readers: times as UTC timestamptz, enums by snake_case name, text safe for NUL characters.</summary>
internal static class PgValues
{
    // PostgreSQL text cannot hold U+0000, which a step's error or an actor's reason may contain: it is written as
    // Escape + '0', and Escape itself as Escape + Escape, so that every string reads back unchanged.
    private const char Escape = '\u001A';

    public static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = Encode(value) is { } s ? s : DBNull.Value };

    public static NpgsqlParameter Json(string value) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = value };

    public static NpgsqlParameter Int(int value) => new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = value };

    public static NpgsqlParameter Long(long value) => new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = value };

    public static NpgsqlParameter Long(long? value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = value is { } v ? v : DBNull.Value };

    public static NpgsqlParameter Time(DateTimeOffset value) => new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = value.UtcDateTime };

    public static NpgsqlParameter Time(DateTimeOffset? value) => new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value is { } v ? v.UtcDateTime : DBNull.Value };

    public static NpgsqlParameter TextArray(IEnumerable<string?>? values)
        => new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values is null ? DBNull.Value : values.Select(Encode).ToArray() };

    public static NpgsqlParameter IntArray(IEnumerable<int> values) => new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = values.ToArray() };

    public static NpgsqlParameter LongArray(IEnumerable<long?> values) => new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = values.ToArray() };

    public static NpgsqlParameter TimeArray(IEnumerable<DateTimeOffset?> values)
        => new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = values.Select(v => v?.UtcDateTime).ToArray() };

    public static long ToUnix(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnix(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static string String(DbDataReader r, int i) => Decode(r.GetString(i));

    public static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : Decode(r.GetString(i));

    public static DateTimeOffset Time(DbDataReader r, int i) => new(DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc));

    public static DateTimeOffset? NullableTime(DbDataReader r, int i) => r.IsDBNull(i) ? null : Time(r, i);

    public static Dictionary<string, string> Labels(DbDataReader r, int i) => JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(i)) ?? [];

    public static string Name<T>(T value)
        where T : struct, Enum
        => EnumNames<T>.ByValue.TryGetValue(value, out var name) ? name : JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static T Parse<T>(string value)
        where T : struct, Enum
        => EnumNames<T>.ByName.TryGetValue(value, out var parsed) ? parsed : Enum.Parse<T>(value.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true);

    public static string? Encode(string? value)
    {
        if (value is null || (value.IndexOf('\0', StringComparison.Ordinal) < 0 && value.IndexOf(Escape, StringComparison.Ordinal) < 0))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\0' => builder.Append(Escape).Append('0'),
                Escape => builder.Append(Escape).Append(Escape),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    public static string Decode(string value)
    {
        if (value.IndexOf(Escape, StringComparison.Ordinal) < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == Escape && i + 1 < value.Length)
            {
                builder.Append(value[++i] == '0' ? '\0' : value[i]);
            }
            else
            {
                builder.Append(value[i]);
            }
        }

        return builder.ToString();
    }

    // Status names are written and read on every commit and row: computed once per enum.
    private static class EnumNames<T>
        where T : struct, Enum
    {
        public static readonly Dictionary<T, string> ByValue = Enum.GetValues<T>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        public static readonly Dictionary<string, T> ByName = ByValue.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
