namespace MachCommerce.Hosting.Configuration;

public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to a configuration section and validates it when the host starts,
    /// so a missing or malformed setting stops the process with a message naming the setting as it would be
    /// written in the environment (for example <c>Identity__SigningKey</c>), not at the first request.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new SettingsValidator<TOptions>(section));
        return services.AddOptions<TOptions>()
            .BindConfiguration(section, binder => binder.ErrorOnUnknownConfiguration = false)
            .ValidateOnStart();
    }

    /// <summary>The environment-variable spelling of a configuration key (':' becomes '__').</summary>
    public static string EnvironmentName(string section, string member) => $"{section}__{member}".Replace(":", "__", StringComparison.Ordinal);

    private sealed class SettingsValidator<TOptions>(string section) : IValidateOptions<TOptions> where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var results = new List<ValidationResult>();
            if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                return ValidateOptionsResult.Success;
            }

            var failures = results.Select(result =>
            {
                var members = result.MemberNames.Any() ? result.MemberNames : [""];
                var settings = string.Join(", ", members.Select(member => EnvironmentName(section, member)));
                return $"Setting {settings}: {result.ErrorMessage}";
            });
            return ValidateOptionsResult.Fail(failures);
        }
    }
}
