namespace MachCommerce.Hosting.Configuration;

/// <summary>The service's PostgreSQL database (<c>Postgres__ConnectionString</c>).</summary>
public sealed class PostgresOptions : IValidatableObject
{
    public const string Section = "Postgres";

    [Required]
    public string ConnectionString { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(ConnectionString))
        {
            yield break;
        }

        string? problem = null;
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException exception)
        {
            problem = exception.Message;
        }

        if (problem is not null)
        {
            yield return new ValidationResult($"is not a valid PostgreSQL connection string ({problem}).", [nameof(ConnectionString)]);
        }
    }
}

/// <summary>The message broker (<c>RabbitMq__Uri</c>, e.g. amqp://user:password@127.0.0.1:5672/).</summary>
public sealed class RabbitMqOptions : IValidatableObject
{
    public const string Section = "RabbitMq";

    [Required]
    public Uri? Uri { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Uri is not null && (!Uri.IsAbsoluteUri || Uri.Scheme is not ("amqp" or "amqps")))
        {
            yield return new ValidationResult("must be an absolute amqp:// or amqps:// URI.", [nameof(Uri)]);
        }
    }
}
