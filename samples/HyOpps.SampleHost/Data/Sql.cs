using System.Data;
using System.Data.Common;
using System.Globalization;

namespace HyOpps.SampleHost.Data;

/// <summary>Small ADO.NET helpers shared by the stores, the same for SQLite and PostgreSQL.</summary>
internal static class Sql
{
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    // Typed parameters: PostgreSQL cannot infer the type of a null parameter ("@org IS NULL"), SQLite does not care.
    public static DbCommand With(this DbCommand command, string name, string? value) => command.With(name, value, DbType.String);

    public static DbCommand With(this DbCommand command, string name, int? value) => command.With(name, value, DbType.Int32);

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ReadTime(DbDataReader reader, string column)
        => DateTimeOffset.Parse(reader.GetString(reader.GetOrdinal(column)), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string? ReadString(DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public static int? ReadInt(DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
    }

    public static string NewId() => Guid.CreateVersion7().ToString("N");

    private static DbCommand With(this DbCommand command, string name, object? value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
