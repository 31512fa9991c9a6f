#region usage
using HyOpps;
#endregion
using HyOpps.Integrations.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Snippets;

/// <summary>src/HyOpps.Integrations.Email/README.md.</summary>
internal static class EmailSnippets
{
    public static void Usage(IHostApplicationBuilder builder)
    {
        #region usage
        builder.Services.AddHyOpps()
            .AddEmail();                                   // binds "HyOpps:Email"
            // .AddEmail(builder.Configuration.GetSection("Email"))
            // .AddEmail(o => { o.Host = "smtp.example.com"; o.From = "HyOpps <noreply@example.com>"; })
        #endregion
    }

    public static void Template(IHostApplicationBuilder builder)
    {
        #region template
        builder.Services.AddSingleton<IDocumentationEmailTemplate, MyTemplate>();
        #endregion
    }

    private sealed class MyTemplate : IDocumentationEmailTemplate
    {
        public ValueTask<DocumentationEmailContent> RenderAsync(DocumentationEmailModel model, CancellationToken cancellationToken)
            => ValueTask.FromResult(new DocumentationEmailContent($"Welcome, {model.FirstName}", "<p>Welcome</p>", "Welcome"));
    }
}
