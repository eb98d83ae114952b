using MachCommerce.Contracts.Profiles.V1;
using MachCommerce.Personalization.Subjects;

namespace MachCommerce.Personalization.ReadModels;

/// <summary>
/// Keeps the profile facts segments look at (kind, customer group, locale, traits), the personalization consent,
/// and which visitor ids belong to which profile. A withdrawn consent deletes the profile's personal data here in
/// the same transaction that records the withdrawal.
/// </summary>
internal static class ProfileReadModel
{
    public const string ConsentPurpose = "personalization";

    public static async Task UpsertFactsAsync(NpgsqlTransaction transaction, string tenantId, Guid profileId, string kind, string? customerGroup, string? locale,
        IReadOnlyDictionary<string, string> traits, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO profiles (tenant_id, profile_id, kind, customer_group, locale, traits) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
            ON CONFLICT (tenant_id, profile_id) DO UPDATE SET kind = excluded.kind, customer_group = excluded.customer_group,
                locale = excluded.locale, traits = excluded.traits, updated_at = now()
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = profileId });
        command.Parameters.Add(new() { Value = kind });
        command.Parameters.Add(new() { Value = (object?)customerGroup ?? DBNull.Value });
        command.Parameters.Add(new() { Value = (object?)locale ?? DBNull.Value });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(traits) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records the consent unless a newer one is already recorded; a withdrawal forgets the profile's behaviour.</summary>
    public static async Task ApplyConsentAsync(NpgsqlTransaction transaction, string tenantId, Guid profileId, bool granted, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO profiles (tenant_id, profile_id, consent, consent_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (tenant_id, profile_id) DO UPDATE SET consent = excluded.consent, consent_at = excluded.consent_at, updated_at = now()
            WHERE profiles.consent_at IS NULL OR profiles.consent_at <= excluded.consent_at
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = profileId });
        command.Parameters.Add(new() { Value = granted });
        command.Parameters.Add(new() { Value = at });
        var applied = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (applied && !granted)
        {
            await SubjectStore.ForgetAsync(transaction, tenantId, await SubjectStore.KeysOfProfileAsync(transaction, tenantId, profileId, [], cancellationToken), cancellationToken,
                consentWithdrawn: true);
        }
    }

    /// <summary>
    /// Links the visitor id to the profile. With the profile's consent the visitor's history folds into the
    /// profile's; without it, whatever the visitor's own consent-banner answer allowed is deleted, because from
    /// now on the customer's own decision counts.
    /// </summary>
    public static async Task LinkVisitorAsync(NpgsqlTransaction transaction, string tenantId, string visitorId, Guid profileId, TimeSpan halfLife, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO visitors (tenant_id, visitor_id, profile_id) VALUES ($1, $2, $3)
            ON CONFLICT (tenant_id, visitor_id) DO UPDATE SET profile_id = excluded.profile_id, updated_at = now();
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = visitorId });
        command.Parameters.Add(new() { Value = profileId });
        await command.ExecuteNonQueryAsync(cancellationToken);

        await using var consent = new NpgsqlCommand("SELECT consent FROM profiles WHERE tenant_id = $1 AND profile_id = $2", transaction.Connection, transaction);
        consent.Parameters.Add(new() { Value = tenantId });
        consent.Parameters.Add(new() { Value = profileId });
        if (await consent.ExecuteScalarAsync(cancellationToken) is true)
        {
            await SubjectStore.MergeVisitorIntoProfileAsync(transaction, tenantId, visitorId, profileId, halfLife, cancellationToken);
        }
        else
        {
            await SubjectStore.ForgetAsync(transaction, tenantId, [SubjectStore.VisitorKey(visitorId)], cancellationToken);
        }
    }
}

/// <summary>Keeps the profile's facts from either profile event: both carry its state after the change.</summary>
internal abstract class ProfileStateHandler<TEvent> : IInboxHandler<TEvent> where TEvent : ProfileState
{
    public async Task HandleAsync(TEvent message, InboxContext context, CancellationToken cancellationToken)
    {
        await PersonalizationDatabase.EnterAsync(context.Transaction, message.TenantId, cancellationToken);
        await ProfileReadModel.UpsertFactsAsync(context.Transaction, message.TenantId, message.ProfileId, message.Kind, message.CustomerGroup, message.Locale, message.Traits, cancellationToken);
    }
}

// One class per event, because the consumer's queue is named after it (personalization-profile-registered-handler, …):
// a new name would leave the messages waiting in the old queue behind.
internal sealed class ProfileRegisteredHandler : ProfileStateHandler<ProfileRegistered>;

internal sealed class ProfileChangedHandler : ProfileStateHandler<ProfileChanged>;

internal sealed class ConsentChangedHandler : IInboxHandler<ConsentChanged>
{
    public async Task HandleAsync(ConsentChanged message, InboxContext context, CancellationToken cancellationToken)
    {
        if (message.Purpose != ProfileReadModel.ConsentPurpose)
        {
            return;
        }

        await PersonalizationDatabase.EnterAsync(context.Transaction, message.TenantId, cancellationToken);
        await ProfileReadModel.ApplyConsentAsync(context.Transaction, message.TenantId, message.ProfileId, message.Granted, message.OccurredAt, cancellationToken);
    }
}

internal sealed class VisitorLinkedHandler(IOptions<PersonalizationOptions> options) : IInboxHandler<VisitorLinked>
{
    public async Task HandleAsync(VisitorLinked message, InboxContext context, CancellationToken cancellationToken)
    {
        await PersonalizationDatabase.EnterAsync(context.Transaction, message.TenantId, cancellationToken);
        await ProfileReadModel.LinkVisitorAsync(context.Transaction, message.TenantId, message.VisitorId, message.ProfileId, options.Value.AffinityHalfLife, cancellationToken);
    }
}
