using HyOpps.Workflows;

namespace HyOpps.Workflows.Tests.Steps;

public sealed class RetryPolicyTests
{
    [Fact]
    public void GetDelay_WithoutJitter_DoublesUpToMaxDelay()
    {
        var policy = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(5), UseJitter = false };

        Assert.Equal(TimeSpan.FromSeconds(1), policy.GetDelay(1, null, Random.Shared));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.GetDelay(2, null, Random.Shared));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.GetDelay(3, null, Random.Shared));
        Assert.Equal(TimeSpan.FromSeconds(5), policy.GetDelay(4, null, Random.Shared));
    }

    [Fact]
    public void GetDelay_WithJitter_StaysBetweenHalfAndFull()
    {
        var policy = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(8), UseJitter = true };
        var random = new Random(42);

        for (var i = 0; i < 100; i++)
        {
            var delay = policy.GetDelay(1, null, random);
            Assert.InRange(delay, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
        }
    }

    [Fact]
    public void GetDelay_RetryAfterLonger_HonoursRetryAfter()
    {
        var policy = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(1), UseJitter = false };

        Assert.Equal(TimeSpan.FromSeconds(30), policy.GetDelay(1, TimeSpan.FromSeconds(30), Random.Shared));
    }

    [Fact]
    public void Validate_ZeroAttempts_NamesOwner()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RetryPolicy { MaxAttempts = 0 }.Validate("wf/step"));
        Assert.Contains("wf/step", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxAttempts", ex.Message, StringComparison.Ordinal);
    }
}
