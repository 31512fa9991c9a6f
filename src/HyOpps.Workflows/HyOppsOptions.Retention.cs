namespace HyOpps.Workflows;

/// <content>Retention.</content>
public sealed partial class HyOppsOptions
{
    /// <summary>Gets how long finished executions are kept, bound from <c>HyOpps:Runtime:Retention</c>.</summary>
    public HyOppsRetentionOptions Retention { get; } = new();
}
