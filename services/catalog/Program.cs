using MachCommerce.Catalog;
using MachCommerce.Catalog.Categories;
using MachCommerce.Catalog.CentralAssortment;
using MachCommerce.Catalog.Prices;
using MachCommerce.Catalog.Products;
using MachCommerce.Catalog.Search;
using MachCommerce.Hosting;
using MachCommerce.Hosting.Configuration;
using MachCommerce.Hosting.Migrations;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddServiceDatabase<CatalogDatabase>();
// One registration: MassTransit subscribes the consumer to each of its event types (published, changed, archived).
builder.AddMessaging(CatalogDatabase.Schema, messaging => messaging
    .AddConsumer<MachCommerce.Contracts.Catalog.V1.ProductChanged, CentralChangeConsumer>("central-assortment"));
builder.Services.AddValidatedOptions<CatalogOptions>(CatalogOptions.Section);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<SearchIndexes>();
builder.Services.AddSingleton<CentralSync>();
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseServiceDefaults();
app.MapOpenApi().AllowAnonymous();
app.MapProductsApi();
app.MapSearchApi();
app.MapCategoriesApi();
app.MapPriceListsApi();
app.MapCentralAssortmentApi();
app.MapJointApi();
return await app.RunServiceAsync();
