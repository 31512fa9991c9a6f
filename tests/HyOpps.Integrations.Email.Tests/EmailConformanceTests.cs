using System.Globalization;
using HyOpps.Testing.Smtp;
using HyOpps.Workflows.Testing.Integrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace HyOpps.Integrations.Email.Tests;

public sealed class EmailConformanceTests : IntegrationConformanceTests<EmailOptions>
{
    private readonly SmtpSimulator _smtp = new(new SmtpSimulatorOptions { UserName = "mailer", Password = "smtp-secret-" + Guid.NewGuid().ToString("N") });

    protected override string DefaultSectionName => EmailOptions.DefaultSectionName;

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?>
    {
        ["Host"] = _smtp.Host,
        ["Port"] = _smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["Security"] = "None",
        ["UserName"] = _smtp.UserName,
        ["Password"] = _smtp.Password,
        ["From"] = "HyOpps <noreply@example.com>",
    };

    protected override IReadOnlyCollection<string> SecretKeys => ["Password"];

    protected override (string Key, string Value) InvalidSetting => ("Port", "70000");

    protected override IReadOnlyList<Type> StepTypes => [typeof(ShareDocumentationStep)];

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder) => builder.AddEmail();

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder, IConfigurationSection section) => builder.AddEmail(section);

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder, Action<EmailOptions> configure) => builder.AddEmail(configure);

    public override async ValueTask InitializeAsync() => await _smtp.StartAsync(TestContext.Current.CancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _smtp.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override async Task<IReadOnlyList<object?>> ExerciseAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var sender = services.GetRequiredService<IEmailSender>();
        var message = new MimeMessage { Subject = "Conformance", Body = new TextPart("plain") { Text = "Hello" } };
        message.From.Add(MailboxAddress.Parse("noreply@example.com"));
        message.To.Add(MailboxAddress.Parse("ada@partner.example"));
        var sent = await sender.SendAsync(message, cancellationToken);
        _smtp.FailNextMessages(1, 554);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(message, cancellationToken));
        return [sent, failure.ToString()];
    }
}
