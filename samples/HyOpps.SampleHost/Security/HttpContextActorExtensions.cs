namespace HyOpps.SampleHost.Security;

/// <summary>Reads the signed-in <see cref="Actor"/> of a request.</summary>
internal static class HttpContextActorExtensions
{
    /// <summary>Returns the actor; every endpoint that calls this requires authentication, so a missing one is a bug.</summary>
    public static Actor Actor(this HttpContext http)
        => Security.Actor.From(http.User) ?? throw new InvalidOperationException("The request has no signed-in account.");
}
