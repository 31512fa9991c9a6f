using HyOpps.Workflows;
using HyOpps.Integrations.Email;
using HyOpps.Testing.Smtp;
using HyOpps.Testing.Steps;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HyOpps.Integrations.Email.Tests;

/// <summary>A service provider with the email integration pointed at an <see cref="SmtpSimulator"/>, and captured logs.</summary>
internal sealed class EmailTestHost : IAsyncDisposable
{
    public const string From = "HyOpps <noreply@hyopps.test>";
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private EmailTestHost(ServiceProvider services)
    {
        Services = services;
        Logs = services.GetFakeLogCollector();
    }

    public ServiceProvider Services { get; }

    public FakeLogCollector Logs { get; }

    public IWorkflowStep Step => Services.GetRequiredService<ShareDocumentationStep>();

    public static EmailTestHost Create(SmtpSimulator? smtp, Action<EmailOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services?.Invoke(collection);
        collection.AddHyOpps().AddEmail(o =>
        {
            if (smtp is not null)
            {
                o.Host = smtp.Host;
                o.Port = smtp.Port;
                o.Security = SmtpSecurity.None;
                o.UserName = smtp.UserName;
                o.Password = smtp.Password;
                o.From = From;
                o.Timeout = TimeSpan.FromSeconds(10);
            }

            configure?.Invoke(o);
        });
        return new EmailTestHost(collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public static ShareDocumentationInput Input(string orgName = "Acme Partners", IReadOnlyList<DocumentationEmailLink>? links = null, string email = "jane.doe@partner.test")
        => new()
        {
            OrgName = orgName,
            Links = links ??
            [
                new DocumentationEmailLink("Getting started", "https://docs.acme.test/start"),
                new DocumentationEmailLink("API reference", "https://docs.acme.test/api?v=2&lang=en"),
            ],
            Email = email,
            FirstName = "Jane",
            LastName = "Doe",
        };

    public TestStepContext Context(ShareDocumentationInput input)
        => new(input, Services, ShareDocumentationStep.Id)
        {
            TestLogger = Services.GetRequiredService<ILoggerFactory>().CreateLogger("HyOpps.Steps.share_documentation"),
        };

    public string AllLogText()
        => string.Join('\n', Logs.GetSnapshot().Select(r => $"{r.Message} {r.Exception}"));

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
