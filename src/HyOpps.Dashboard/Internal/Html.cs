using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace HyOpps.Dashboard.Internal;

/// <summary>Markup that is trusted as written (built by this package, never from data).</summary>
/// <param name="Value">The markup.</param>
internal readonly record struct Markup(string Value)
{
    public static Markup Empty { get; } = new(string.Empty);

    public override string ToString() => Value;
}

/// <summary>Builds an HTML page; every interpolated value is HTML-encoded unless it is <see cref="Markup"/>.</summary>
internal sealed class HtmlBuilder
{
    // Encode markup-significant characters but keep letters of every script readable in the source.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly StringBuilder _text = new(4096);

    public static string Encode(string? value) => value is null ? string.Empty : Encoder.Encode(value);

    public HtmlBuilder Append([InterpolatedStringHandlerArgument("")] ref HtmlInterpolatedStringHandler handler)
    {
        _ = handler;
        return this;
    }

    public HtmlBuilder Text(string? value)
    {
        if (value is null)
        {
            return this;
        }

        // Line breaks stay literal so indented JSON in <pre> reads well in the page source too.
        using var writer = new StringWriter(_text, CultureInfo.InvariantCulture);
        var start = 0;
        for (var i = value.IndexOf('\n', StringComparison.Ordinal); i >= 0; i = value.IndexOf('\n', start))
        {
            Encoder.Encode(writer, value, start, i - start);
            _text.Append('\n');
            start = i + 1;
        }

        Encoder.Encode(writer, value, start, value.Length - start);

        return this;
    }

    public HtmlBuilder Raw(Markup markup)
    {
        _text.Append(markup.Value);
        return this;
    }

    internal void AppendTrusted(string literal) => _text.Append(literal);

    public Markup ToMarkup() => new(_text.ToString());

    public override string ToString() => _text.ToString();
}

/// <summary>Builds small fragments of markup with the same encoding rules as <see cref="HtmlBuilder"/>.</summary>
internal static class Html
{
    public static Markup Of(ref HtmlInterpolatedStringHandler handler) => handler.Builder.ToMarkup();

    public static Markup Join(IEnumerable<Markup> parts) => new(string.Concat(parts.Select(p => p.Value)));
}

/// <summary>Appends literals as written and encodes every formatted value, so data can never become markup.</summary>
[InterpolatedStringHandler]
internal readonly ref struct HtmlInterpolatedStringHandler
{
    private readonly HtmlBuilder _builder;

    public HtmlInterpolatedStringHandler(int literalLength, int formattedCount)
        : this(literalLength, formattedCount, new HtmlBuilder())
    {
    }

    public HtmlInterpolatedStringHandler(int literalLength, int formattedCount, HtmlBuilder builder)
    {
        _ = literalLength;
        _ = formattedCount;
        _builder = builder;
    }

    internal HtmlBuilder Builder => _builder;

    public void AppendLiteral(string value) => _builder.AppendTrusted(value);

    public void AppendFormatted(Markup value) => _builder.Raw(value);

    public void AppendFormatted(string? value) => _builder.Text(value);

    public void AppendFormatted<T>(T value) => _builder.Text(value switch
    {
        null => null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    });
}
