namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>A value for a statement parameter: an integer, a text or null, passed without boxing.</summary>
/// <remarks>Times are stored as Unix milliseconds, the form every query of the store compares.</remarks>
internal readonly struct SqlValue
{
    private readonly long _integer;
    private readonly string? _text;
    private readonly bool _isInteger;

    private SqlValue(long integer) => (_integer, _isInteger) = (integer, true);

    private SqlValue(string text) => _text = text;

    public static implicit operator SqlValue(long value) => new(value);

    public static implicit operator SqlValue(long? value) => value is { } v ? new(v) : default;

    public static implicit operator SqlValue(string? value) => value is null ? default : new(value);

    public static implicit operator SqlValue(DateTimeOffset value) => new(value.ToUnixTimeMilliseconds());

    public static implicit operator SqlValue(DateTimeOffset? value) => value is { } v ? new(v.ToUnixTimeMilliseconds()) : default;

    public bool TryGetInteger(out long value)
    {
        value = _integer;
        return _isInteger;
    }

    public string? Text => _text;
}
