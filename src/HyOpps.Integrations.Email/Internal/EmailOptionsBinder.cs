using Microsoft.Extensions.Configuration;

namespace HyOpps.Integrations.Email.Internal;

internal static class EmailOptionsBinder
{
    public static void Bind(IConfiguration section, EmailOptions options)
    {
        try
        {
            section.Bind(options, static o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            // Reported by start-up validation, together with any other problem, naming the key.
            options.ConfigurationErrors.Add(ex.Message);
        }
    }
}
