using System.Threading.Channels;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MachCommerce.Identity.Mail;

/// <summary>A message in both of the platform's languages (German first), plain text: links must be readable in any mail program.</summary>
public sealed record Mail(string To, string Subject, string Text);

/// <summary>The mail server refused the message or could not be reached.</summary>
public sealed class MailNotSentException(string message, Exception inner) : Exception(message, inner);

/// <summary>Sends mail over SMTP (MailKit): at once where the caller must know the outcome, or queued where it must not show.</summary>
public sealed class Mailer(IOptions<MailOptions> options, ILogger<Mailer> logger)
{
    private readonly Channel<Mail> _queue = Channel.CreateBounded<Mail>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });

    public bool Configured => options.Value.Configured;

    internal ChannelReader<Mail> Queue => _queue.Reader;

    /// <summary>Sends now; throws <see cref="MailNotSentException"/> when the server does not take it.</summary>
    public async Task SendAsync(Mail mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var message = new MimeMessage { Subject = mail.Subject, Body = new TextPart("plain") { Text = mail.Text } };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        try
        {
            using var smtp = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
            await smtp.ConnectAsync(settings.Host!, settings.Port, settings.Security switch
            {
                "tls" => SecureSocketOptions.SslOnConnect,
                "none" => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            }, cancellationToken);
            if (settings.UserName is { } user)
            {
                await smtp.AuthenticateAsync(user, settings.Password ?? "", cancellationToken);
            }

            await smtp.SendAsync(message, cancellationToken);
            await smtp.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new MailNotSentException($"The mail server {settings.Host}:{settings.Port} did not take the message ({exception.Message}).", exception);
        }
    }

    /// <summary>
    /// Sends in the background (tried three times): for answers that must look the same whether or not a mail goes
    /// out, so neither their words nor their time tell which addresses have accounts.
    /// </summary>
    public void Enqueue(Mail mail)
    {
        if (!_queue.Writer.TryWrite(mail))
        {
            logger.LogError("The mail queue is full; a message to {To} ({Subject}) was not sent", mail.To, mail.Subject);
        }
    }
}

/// <summary>Works through <see cref="Mailer.Enqueue"/>'s queue.</summary>
public sealed class QueuedMailSender(Mailer mailer, ILogger<QueuedMailSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var mail in mailer.Queue.ReadAllAsync(stoppingToken))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await mailer.SendAsync(mail, stoppingToken);
                    break;
                }
                catch (MailNotSentException exception) when (attempt < 3)
                {
                    logger.LogWarning("{Reason}; trying again", exception.Message);
                    await Task.Delay(TimeSpan.FromSeconds(2 * attempt), stoppingToken);
                }
                catch (MailNotSentException exception)
                {
                    logger.LogError("A message to {To} ({Subject}) was not sent: {Reason}", mail.To, mail.Subject, exception.Message);
                    break;
                }
            }
        }
    }
}

public static class MailRegistration
{
    public static IServiceCollection AddMail(this IServiceCollection services)
    {
        services.AddValidatedOptions<MailOptions>(MailOptions.Section);
        services.AddSingleton<Mailer>();
        services.AddHostedService<QueuedMailSender>();
        return services;
    }
}
