namespace HyOpps.Integrations.Teams.Internal;

/// <summary>Graph does not know the user yet (404, or 400 "not a valid reference"); handled by the membership step.</summary>
internal sealed class UnknownReferenceException(GraphFailure failure, Exception innerException)
    : Exception(failure.Describe(), innerException)
{
    public GraphFailure Failure { get; } = failure;
}
