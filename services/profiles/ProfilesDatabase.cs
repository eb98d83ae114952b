namespace MachCommerce.Profiles;

/// <summary>The profiles service's schema and application role (see <see cref="ServiceDatabase"/>).</summary>
public sealed class ProfilesDatabase(NpgsqlDataSource dataSource) : ServiceDatabase(dataSource, Schema, ApplicationRole), ServiceDatabase.IDefinition
{
    public static string Schema => "profiles";
    public static string ApplicationRole => "profiles_app";
}
