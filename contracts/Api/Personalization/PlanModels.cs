namespace MachCommerce.Api.Personalization;

/// <summary>The baseline the plan rests on: the conversion rate, or revenue per subject and its spread; measured or given.</summary>
public sealed record PlanBaselineView(double? ConversionRate, double? RevenuePerSubject, double? RevenueStandardDeviation, bool Measured);

/// <summary>
/// Subjects per arm and in all, and the days at the placement's daily traffic (at least the tenant's minimum): for a
/// single look at the end (fixed horizon) and for the always-valid verdict the report gives; in words too.
/// </summary>
public sealed record ExperimentPlanView(string Placement, string PrimaryMetric, double MinimumDetectableEffect, int Variants, double Power, double Alpha,
    PlanBaselineView Baseline, double DailySubjects, bool DailySubjectsMeasured, double SubjectsPerArm, double TotalSubjects, int Days,
    double AlwaysValidSubjectsPerArm, int AlwaysValidDays, string En, string De);

public sealed record ExperimentSettingsInput(int? MinSubjectsPerArm, int? MinConversionsPerArm, int? MinDays, double? Confidence, double? HoldoutShare);
