using HyOpps.Workflows;

namespace HyOpps.SampleHost.Api;

/// <summary>Turns the services' problems and the runtime's exceptions into problem-details answers.</summary>
internal sealed class ApiProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ApiProblemException ex)
        {
            return ex.ToResult();
        }
        catch (ExecutionNotFoundException)
        {
            return ApiResults.NotFound("No execution with this id.");
        }
        catch (ExecutionStateException ex)
        {
            return ApiResults.Conflict(ex.Message);
        }
    }
}
