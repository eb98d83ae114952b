namespace MachCommerce.Profiles;

/// <summary>The profiles service's schema and application role (see <see cref="ServiceDatabase"/>).</summary>
public sealed class ProfilesDatabase(NpgsqlDataSource dataSource) : ServiceDatabase(dataSource, Schema, ApplicationRole)
{
    public const string Schema = "profiles";
    public const string ApplicationRole = "profiles_app";
}
