using System.Globalization;
using System.Text.RegularExpressions;

namespace HyOpps.SampleHost.Domain;

/// <summary>The optional start date of an onboarding (the person's first working day), as the API and the add-user form take it.</summary>
public static partial class StartDates
{
    /// <summary>How far ahead an onboarding may be scheduled.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(366);

    /// <summary>
    /// Reads a date (<c>2026-12-07</c>, midnight UTC) or a date and time with an offset (<c>2026-12-07T09:00:00+01:00</c>).
    /// Returns null for none or for a time already come (today's date): the onboarding then starts at once.
    /// </summary>
    public static (DateTimeOffset? NotBefore, string? Error) Parse(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        var trimmed = text.Trim();
        DateTimeOffset value;
        if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (date < DateOnly.FromDateTime(now.UtcDateTime))
            {
                return (null, $"The start date {trimmed} is in the past.");
            }

            value = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        else if (DateTimeWithOffset().IsMatch(trimmed)
            && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            // A minute's grace: a client that sends "now" should not be refused for its own clock's drift.
            if (value < now - TimeSpan.FromMinutes(1))
            {
                return (null, $"The start time {trimmed} is in the past.");
            }
        }
        else
        {
            return (null, $"The start date '{InputRules.Shorten(trimmed)}' is not a date (2026-12-07) or a date and time with an offset (2026-12-07T09:00:00+01:00).");
        }

        if (value > now + MaxAhead)
        {
            return (null, $"The start date {trimmed} is more than {MaxAhead.TotalDays:0} days ahead.");
        }

        return (value > now ? value : null, null);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeWithOffset();
}
