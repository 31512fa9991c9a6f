namespace HyOpps.Workflows.Storage;

/// <summary>What <see cref="IWorkflowStore.GetOverviewAsync"/> measures: the time, the caller's scope, the window and how many failing steps.</summary>
public sealed record OverviewRequest
{
    /// <summary>The most hours the window may span (a week).</summary>
    public const int MaxHours = 168;

    /// <summary>Gets the current time; the window's last hour is the one that holds it.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Gets labels every counted execution must carry (a scoped caller's scope), or empty for every execution.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets how many hours the window spans, 1 to <see cref="MaxHours"/>. The default value is 24.</summary>
    public int Hours { get; init; } = 24;

    /// <summary>Gets how many failing steps to return, 1 to 100. The default value is 10.</summary>
    public int MaxFailingSteps { get; init; } = 10;

    /// <summary>Gets the start of the window: the start of the hour <see cref="Hours"/> - 1 hours before the one holding <see cref="Now"/>.</summary>
    public DateTimeOffset Since
    {
        get
        {
            var utc = Now.ToUniversalTime();
            var hour = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
            return hour.AddHours(1 - Hours);
        }
    }

    /// <summary>Throws when the window or the step count is out of range.</summary>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Labels, nameof(Labels));
        if (Hours is < 1 or > MaxHours)
        {
            throw new ArgumentException($"{nameof(OverviewRequest)}.{nameof(Hours)} must be between 1 and {MaxHours} (was {Hours}).", nameof(Hours));
        }

        if (MaxFailingSteps is < 1 or > 100)
        {
            throw new ArgumentException($"{nameof(OverviewRequest)}.{nameof(MaxFailingSteps)} must be between 1 and 100 (was {MaxFailingSteps}).", nameof(MaxFailingSteps));
        }
    }

    /// <summary>Builds the overview's hourly series from the counts a store read, one entry per hour of the window with zeros filled in.</summary>
    /// <param name="countsByHour">Counts keyed by the hour's index in the window, 0 for the first hour.</param>
    /// <returns>The series, oldest hour first.</returns>
    public IReadOnlyList<HourlyCount> Hourly(IReadOnlyDictionary<int, int> countsByHour)
    {
        ArgumentNullException.ThrowIfNull(countsByHour);
        var since = Since;
        return Enumerable.Range(0, Hours).Select(i => new HourlyCount(since.AddHours(i), countsByHour.GetValueOrDefault(i))).ToArray();
    }
}
