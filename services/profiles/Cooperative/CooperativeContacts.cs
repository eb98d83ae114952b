namespace MachCommerce.Profiles.Cooperative;

/// <summary>
/// The copy of a customer's contact their shop shares with its cooperative, kept only while the customer consents
/// (purpose <see cref="Purpose"/>): written with the consent, changed with the profile, gone with the withdrawal or
/// the profile (the row's foreign key deletes it with the profile, so an erasure reaches it in the same transaction).
/// </summary>
public static class CooperativeContacts
{
    /// <summary>The consent purpose: "my shop may share my contact with its cooperative (for its joint offers)".</summary>
    public const string Purpose = "cooperative";

    /// <summary>Shares the profile's contact with <paramref name="cooperative"/> (again: a renewed consent updates the row).</summary>
    public static async Task ShareAsync(TenantScope db, Guid profileId, string cooperative, string policyVersion, CancellationToken cancellationToken)
    {
        await using var command = db.Command("""
            INSERT INTO cooperative_contacts (tenant_id, profile_id, cooperative_id, email, first_name, last_name, company_name, locale, policy_version)
            SELECT tenant_id, id, $3, email, first_name, last_name, company_name, locale, $4 FROM profiles WHERE tenant_id = $1 AND id = $2
            ON CONFLICT (tenant_id, profile_id) DO UPDATE
               SET cooperative_id = EXCLUDED.cooperative_id, email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
                   company_name = EXCLUDED.company_name, locale = EXCLUDED.locale, policy_version = EXCLUDED.policy_version, consented_at = now(), updated_at = now()
            """);
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = profileId });
        command.Parameters.Add(new() { Value = cooperative });
        command.Parameters.Add(new() { Value = policyVersion });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The consent withdrawn: the cooperative no longer has the contact.</summary>
    public static async Task WithdrawAsync(TenantScope db, Guid profileId, CancellationToken cancellationToken)
    {
        await using var command = db.Command("DELETE FROM cooperative_contacts WHERE tenant_id = $1 AND profile_id = $2");
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = profileId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>After a change of the profile: the shared copy says what the profile says now (nothing, if nothing is shared).</summary>
    public static async Task RefreshAsync(TenantScope db, Guid profileId, CancellationToken cancellationToken)
    {
        await using var command = db.Command("""
            UPDATE cooperative_contacts c SET email = p.email, first_name = p.first_name, last_name = p.last_name, company_name = p.company_name,
                   locale = p.locale, updated_at = now()
              FROM profiles p
             WHERE c.tenant_id = $1 AND c.profile_id = $2 AND p.tenant_id = c.tenant_id AND p.id = c.profile_id
            """);
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = profileId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
