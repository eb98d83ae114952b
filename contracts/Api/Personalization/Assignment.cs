using System.Security.Cryptography;
using System.Text;

namespace MachCommerce.Api.Personalization;

/// <summary>
/// Which arm of an experiment a subject (a visitor id, or <c>customer:{profileId}</c>) gets, and whether it joins the
/// shop's global holdout: a hash of the experiment (or tenant) and the subject, the same on every instance, after
/// every restart and in any program that computes it, so nothing is stored before the first decision. The
/// personalization service decides with exactly these functions; an import of past exposures or a client that
/// wants to know an arm offline uses them too.
/// </summary>
public static class Assignment
{
    /// <summary>The global holdout's exposures are those of this experiment id, in these two arms.</summary>
    public static readonly Guid HoldoutExperimentId = Guid.Empty;

    public const string HoldoutArm = "holdout", PersonalizedArm = "personalized";

    /// <summary>A cooperative campaign's experiment in a member shop: its offer against none.</summary>
    public const string CampaignWithOffer = "with-offer", CampaignWithoutOffer = "without-offer";

    /// <summary>The arm (by its key) a subject gets among weighted arms, in the order the experiment lists them.</summary>
    public static TArm Arm<TArm>(Guid experimentId, string subjectKey, IReadOnlyList<TArm> arms, Func<TArm, int> weight)
    {
        var total = arms.Sum(weight);
        var bucket = (int)(StableHash($"{experimentId:N}:{subjectKey}") % (ulong)total);
        foreach (var arm in arms)
        {
            if (bucket < weight(arm))
            {
                return arm;
            }

            bucket -= weight(arm);
        }

        return arms[^1];
    }

    /// <summary>Whether a subject seen for the first time joins the shop's global holdout of the given share (0 to 1).</summary>
    public static bool InHoldout(string tenantId, string subjectKey, double share) =>
        share > 0 && StableHash($"holdout:{tenantId}:{subjectKey}") / (double)ulong.MaxValue < share;

    /// <summary>The first eight bytes of the text's SHA-256: evenly spread, and stable across machines and versions.</summary>
    private static ulong StableHash(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BitConverter.ToUInt64(hash);
    }
}
