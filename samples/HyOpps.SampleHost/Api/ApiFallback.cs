using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace HyOpps.SampleHost.Api;

/// <summary>Answers an /api request no endpoint took: 415 when an endpoint has this path and method but reads another content type, else 404.</summary>
internal static class ApiFallback
{
    // Routing drops an endpoint whose accepted content types do not match the request, and the catch-all fallback then wins:
    // without this check a text/plain POST /api/users would answer "no such endpoint".
    public static IResult Answer(HttpContext http, EndpointDataSource endpoints)
    {
        var request = http.Request;
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not { ContentTypes.Count: > 0 } accepts
                || endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods
                || !methods.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var matcher = new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary());
            if (matcher.TryMatch(request.Path, new RouteValueDictionary()))
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status415UnsupportedMediaType,
                    title: "Unsupported media type",
                    detail: $"This endpoint reads {string.Join(" or ", accepts.ContentTypes)}; the request's content type is '{InputShorten(request.ContentType)}'.");
            }
        }

        return ApiResults.NotFound("No such API endpoint.");
    }

    private static string InputShorten(string? value) => Domain.InputRules.Shorten(value ?? "none");
}
