using NpgsqlTypes;

namespace MachCommerce.Profiles.Profiles;

/// <summary>The SQL of profiles. Every statement names the tenant; row-level security checks it again.</summary>
internal static class ProfileStore
{
    public const string Columns =
        "id, kind, external_id, email, first_name, last_name, company_name, vat_id, customer_group, locale, addresses::text, traits::text, preferences::text, contacts::text, version, created_at, updated_at";

    public static ProfileView Read(NpgsqlDataReader reader)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        JsonElement Json(int i) => JsonDocument.Parse(reader.GetString(i)).RootElement.Clone();
        return new ProfileView
        {
            Id = reader.GetGuid(0), Kind = reader.GetString(1), ExternalId = Text(2), Email = Text(3), FirstName = Text(4), LastName = Text(5),
            CompanyName = Text(6), VatId = Text(7), CustomerGroup = Text(8), Locale = Text(9), Addresses = Json(10), Traits = Json(11),
            Preferences = Json(12), Contacts = Json(13), Version = reader.GetInt32(14),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(15), UpdatedAt = reader.GetFieldValue<DateTimeOffset>(16),
        };
    }

    public static async Task<ProfileView?> FindAsync(TenantScope db, string column, object value, CancellationToken cancellationToken)
    {
        await using var command = db.Command($"SELECT {Columns} FROM profiles WHERE tenant_id = $1 AND {column} = $2");
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public static async Task<List<ProfileView>> QueryAsync(TenantScope db, string sql, IEnumerable<object> parameters, CancellationToken cancellationToken)
    {
        await using var command = db.Command(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter as NpgsqlParameter ?? new NpgsqlParameter { Value = parameter });
        }

        var profiles = new List<ProfileView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            profiles.Add(Read(reader));
        }

        return profiles;
    }

    /// <summary>Inserts or (with <paramref name="expectedVersion"/>) replaces a profile; answers its version, or a conflict's field.</summary>
    public static async Task<(int? Version, string? ConflictField)> WriteAsync(TenantScope db, Guid id, ValidProfile profile, bool insert, int? expectedVersion,
        CancellationToken cancellationToken)
    {
        await db.Transaction.SaveAsync("profile_write", cancellationToken);
        await using var command = db.Command(insert
            ? """
              INSERT INTO profiles (id, tenant_id, kind, external_id, email, first_name, last_name, company_name, vat_id, customer_group, locale,
                                    addresses, traits, preferences, contacts, search_name)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING version
              """
            : """
              UPDATE profiles SET kind = $3, external_id = $4, email = $5, first_name = $6, last_name = $7, company_name = $8, vat_id = $9,
                     customer_group = $10, locale = $11, addresses = $12, traits = $13, preferences = $14, contacts = $15, search_name = $16,
                     version = version + 1, updated_at = now()
               WHERE id = $1 AND tenant_id = $2 AND ($17::int IS NULL OR version = $17) RETURNING version
              """);
        object Nullable(string? text) => (object?)text ?? DBNull.Value;
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = profile.Kind });
        foreach (var text in new[] { profile.ExternalId, profile.Email, profile.FirstName, profile.LastName, profile.CompanyName, profile.VatId, profile.CustomerGroup, profile.Locale })
        {
            command.Parameters.Add(new() { Value = Nullable(text), NpgsqlDbType = NpgsqlDbType.Text });
        }

        foreach (var json in new[] { profile.AddressesJson, profile.TraitsJson, profile.PreferencesJson, profile.ContactsJson })
        {
            command.Parameters.Add(new() { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb });
        }

        command.Parameters.Add(new() { Value = profile.SearchName });
        if (!insert)
        {
            command.Parameters.Add(new() { Value = (object?)expectedVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        }

        try
        {
            var version = await command.ExecuteScalarAsync(cancellationToken) as int?;
            if (!insert && version is not null)
            {
                await Cooperative.CooperativeContacts.RefreshAsync(db, id, cancellationToken);
            }

            await db.Transaction.ReleaseAsync("profile_write", cancellationToken);
            return (version, null);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await db.Transaction.RollbackAsync("profile_write", cancellationToken);
            return (null, exception.ConstraintName == "profiles_tenant_id_external_id_key" ? "externalId" : "email");
        }
    }

    public static async Task<bool> ExistsAsync(TenantScope db, Guid profileId, CancellationToken cancellationToken)
    {
        await using var command = db.Command("SELECT EXISTS (SELECT 1 FROM profiles WHERE tenant_id = $1 AND id = $2)");
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = profileId });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
