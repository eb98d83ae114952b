using MachCommerce.Contracts.Catalog.V1;
using MachCommerce.Contracts.Gdpr.V1;
using MachCommerce.Contracts.Profiles.V1;
using MachCommerce.Hosting;
using MachCommerce.Hosting.Configuration;
using MachCommerce.Hosting.Migrations;
using MachCommerce.Personalization;
using MachCommerce.Personalization.Behaviour;
using MachCommerce.Personalization.CentralCampaigns;
using MachCommerce.Personalization.Decisions;
using MachCommerce.Personalization.Experiments;
using MachCommerce.Personalization.Gdpr;
using MachCommerce.Personalization.Offers;
using MachCommerce.Personalization.ReadModels;
using MachCommerce.Personalization.Recommendations;
using MachCommerce.Personalization.Segments;
using MachCommerce.Personalization.Subjects;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddServiceDatabase<PersonalizationDatabase>();
builder.AddMessaging(PersonalizationDatabase.Schema, messaging => messaging
    .AddInboxConsumer<ProductPublished, ProductPublishedHandler>()
    .AddInboxConsumer<ProductChanged, ProductChangedHandler>()
    .AddInboxConsumer<ProductArchived, ProductArchivedHandler>()
    .AddInboxConsumer<ProfileRegistered, ProfileRegisteredHandler>()
    .AddInboxConsumer<ProfileChanged, ProfileChangedHandler>()
    .AddInboxConsumer<ConsentChanged, ConsentChangedHandler>()
    .AddInboxConsumer<VisitorLinked, VisitorLinkedHandler>()
    .AddInboxConsumer<ErasureRequested, ErasureRequestHandler>());
builder.Services.AddValidatedOptions<PersonalizationOptions>(PersonalizationOptions.Section);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<TenantDefinitions>();
builder.Services.AddSingleton<ProductShelves>();
builder.Services.AddSingleton<AnonymousImpressions>();
builder.Services.AddHostedService(services => services.GetRequiredService<AnonymousImpressions>());
builder.Services.AddSingleton<BehaviourIngest>();
builder.Services.AddSingleton<PopularityFolder>();
builder.Services.AddHostedService(services => services.GetRequiredService<PopularityFolder>());
builder.Services.AddSingleton<DecisionEngine>();
builder.Services.AddSingleton<CampaignRollout>();
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, BehaviourJson.Default));
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseServiceDefaults();
app.MapOpenApi().AllowAnonymous();
app.MapBehaviourApi();
app.MapDecisionsApi();
app.MapRecommendationsApi();
app.MapSegmentsApi();
app.MapOffersApi();
app.MapExperimentsApi();
app.MapExperimentSettingsApi();
app.MapHoldoutApi();
app.MapSubjectsApi();
app.MapReadModelsApi();
app.MapGdprApi();
app.MapCentralCampaignsApi();
return await app.RunServiceAsync();
