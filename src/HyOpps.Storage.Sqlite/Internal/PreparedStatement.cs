using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>A statement of the writer's hot path, prepared once on the writer's connection and bound by parameter index.</summary>
/// <remarks>
/// <see cref="SqliteCommand"/> resolves every parameter by name, converting the name to UTF-8, on every execution:
/// measured, that was about half of the writer's time per step. Here the names are resolved once, at prepare time.
/// </remarks>
internal sealed class PreparedStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
    private readonly int _parameterCount;

    public PreparedStatement(sqlite3 db, string sql)
    {
        _db = db;
        Check(raw.sqlite3_prepare_v2(db, sql, out _statement));
        _parameterCount = raw.sqlite3_bind_parameter_count(_statement);
        for (var i = 1; i <= _parameterCount; i++)
        {
            _indexes[raw.sqlite3_bind_parameter_name(_statement, i).utf8_to_string()] = i;
        }
    }

    public PreparedStatement Bind(string name, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, Index(name), value));
        return this;
    }

    public PreparedStatement Bind(string name, string? value)
    {
        // UTF-16 straight from the string: SQLite converts it natively, with no managed UTF-8 copy per bind.
        Check(value is null ? raw.sqlite3_bind_null(_statement, Index(name)) : raw.sqlite3_bind_text16(_statement, Index(name), value.AsSpan()));
        return this;
    }

    public PreparedStatement Bind(string name, long? value)
        => value is { } v ? Bind(name, v) : Bind(name, (string?)null);

    public PreparedStatement Bind(string name, DateTimeOffset? value)
        => Bind(name, value?.ToUnixTimeMilliseconds());

    /// <summary>Binds every parameter by position, in the order the statement first names them: a row in column order.</summary>
    public PreparedStatement BindRow(params ReadOnlySpan<SqlValue> values)
    {
        if (values.Length != _parameterCount)
        {
            throw new ArgumentException($"The statement has {_parameterCount} parameters; {values.Length} values were given.", nameof(values));
        }

        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            Check(value.TryGetInteger(out var integer) ? raw.sqlite3_bind_int64(_statement, i + 1, integer)
                : value.Text is { } text ? raw.sqlite3_bind_text16(_statement, i + 1, text.AsSpan())
                : raw.sqlite3_bind_null(_statement, i + 1));
        }

        return this;
    }

    /// <summary>Runs the statement to its end and returns how many rows it changed; the bindings are cleared afterwards.</summary>
    public int Execute()
    {
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }

            Check(rc);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
            raw.sqlite3_clear_bindings(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private int Index(string name)
        => _indexes.TryGetValue(name, out var index) ? index : throw new ArgumentException($"The statement has no parameter '{name}'.", nameof(name));

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
        }
    }
}
