namespace HyOpps.Workflows;

/// <summary>Marks a property of a workflow input, step output or checkpoint as secret: it is never stored or logged.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true)]
public sealed class SecretAttribute : Attribute
{
}
