using MachCommerce.GraphQL.Execution;
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;
using MachCommerce.GraphQL.Validation;

namespace MachCommerce.GraphQL.Tests;

/// <summary>
/// Validation beside graphql-js's validate() on one schema: the same errors, message (suggestions included) and
/// locations, for valid documents, documents that break each rule and generated documents full of overlapping fields.
/// </summary>
public sealed class ValidationConformanceTests
{
    private const string Sdl = """
        interface Node { id: ID! }
        type Product implements Node { id: ID! name: String! price(currency: String = "EUR", gross: Boolean!): Float category: Category }
        type Category implements Node { id: ID! title: String products(first: Int): [Product!]! }
        union SearchHit = Product | Category
        type Other { x: Int }
        input Filter { brand: String max: Float status: Status = DRAFT required: Boolean! }
        input Key @oneOf { id: ID sku: String }
        enum Status { DRAFT PUBLISHED }
        directive @cache(seconds: Int!) on FIELD | QUERY
        directive @tag(name: String) repeatable on FIELD
        type Query { product(id: ID!): Product node(id: ID!): Node search(term: String!, filter: Filter): [SearchHit] status: Status count: Int other: Other
          byKey(key: Key!): Product maybeKey(key: Key): Product statuses(in: [Status!]! = [DRAFT]): [Product] limited(first: Int! = 10): [Product] }
        type Mutation { rename(id: ID!, name: String!): Product }
        type Subscription { priceChanged: Product stockChanged: Product }
        """;

    private static readonly string[] Documents =
    [
        "{ product(id: 1) { id name price(gross: true) category { title products { id } } } }",
        "query Q($id: ID!, $f: Filter) { node(id: $id) { id ... on Product { name } ... on Category { title } } search(term: \"x\", filter: $f) { ... on Product { id } } }",
        "query { ...Q } fragment Q on Query { count status }",
        "{ __typename __schema { queryType { name } } __type(name: \"Product\") { name } }",
        "mutation M { rename(id: 1, name: \"n\") { id } }",
        "subscription S { priceChanged { id } }",
        "{ a } type T { a: Int } schema { query: Query }",
        "query A { count } query A { status }",
        "{ count } query Named { status }",
        "query ($v: Unknown) { count }",
        "query ($v: Product) { count }",
        "query ($v: Int, $v: Int) { count(x: $v) }",
        "{ product(id: 1) { nope name } missing }",
        "{ search(term: \"x\") { id } }",
        "{ count { x } status { y } }",
        "{ product(id: 1) }",
        "{ product(id: 1) { id } node }",
        "{ product { id } }",
        "{ product(id: 1) { price { x } } }",
        "{ product(id: 1, id: 2, extra: 3) { id } }",
        "{ count @unknown status @cache(seconds: 1) @cache(seconds: 2) }",
        "{ count @tag(name: \"a\") @tag(name: \"b\") @cache }",
        "query @cache(seconds: 1) @skip(if: true) { count }",
        "{ search(term: \"x\", filter: { brand: \"a\", brand: \"b\" }) { __typename } }",
        "{ ...Missing }",
        "fragment Unused on Query { count } { status }",
        "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
        "{ ...Self } fragment Self on Query { count ...Self }",
        "{ other { ...P } } fragment P on Product { id }",
        "{ other { ... on Product { id } } }",
        "{ node(id: 1) { ... on Other { x } } }",
        "{ ...OnScalar } fragment OnScalar on Int { x }",
        "{ ... on Status { x } }",
        "fragment F on Nope { x } { ...F }",
        "query ($unused: Int) { count }",
        "query Q($unused: Int) { count }",
        "{ product(id: $undefined) { id } }",
        "query Q { product(id: $undefined) { id } }",
        "query Q { ...F } fragment F on Query { product(id: $inFragment) { id } }",
        "mutation { rename(id: 1) { id } }",
        "subscription { priceChanged { id } stockChanged { id } }",
        "subscription Sub { __typename priceChanged { id } }",
        "{ node(id: 1) { ... on SearchHit { __typename } } }",
        "{ search(term: \"a\") { ... on Node { id } } }",
        "query ($id: ID! @cache(seconds: 1)) { product(id: $id) { id } }",
        "{ product(id: 1.5) { id } search(term: 3) { __typename } count @cache(seconds: \"x\") }",
        "{ search(term: \"a\", filter: { brand: 1, max: \"x\", status: BAD, required: null }) { __typename } }",
        "{ search(term: \"a\", filter: { unknown: 1 }) { __typename } search2: search(term: null) { __typename } }",
        "{ search(term: \"a\", filter: \"nope\") { __typename } statuses(in: [DRAFT, \"PUBLISHED\", 1]) { id } }",
        "{ byKey(key: { id: 1, sku: \"a\" }) { id } k2: byKey(key: {}) { id } k3: byKey(key: { id: null }) { id } }",
        "{ statuses(in: DRAFT) { id } limited { id } }",
        "query ($term: String, $status: [Status], $first: Int, $f: Filter!) { search(term: $term, filter: $f) { __typename } statuses(in: $status) { id } limited(first: $first) { id } }",
        "query ($id: ID, $sku: String!) { byKey(key: { id: $id }) { id } k2: byKey(key: { sku: $sku }) { id } k3: maybeKey(key: { id: $id }) { id } }",
        "query ($t: String = \"default\", $n: Int = \"x\") { search(term: $t) { __typename } count }",
        "query Q($t: Boolean) { ...F } fragment F on Query { product(id: 1) { price(gross: $t) } }",
        "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
        "{ __type(name: \"Product\") { ...Deep } } fragment Deep on __Type { fields { type { interfaces { possibleTypes { name } } } } }",
        "{ __schema { types { fields { type { ofType { name } } } interfaces { name } } } }",

        // Overlapping fields can be merged (spec 5.3.2 and its examples).
        "{ product(id: 1) { name: id name } }",
        "{ product(id: 1) { price(gross: true) price(gross: false) } }",
        "{ product(id: 1) { price(gross: true) price } }",
        "{ node(id: 1) { ... on Product { x: name } ... on Category { x: title } } }",
        "{ node(id: 1) { ... on Product { x: id } ... on Category { x: title } } }",
        "{ node(id: 1) { ... on Product { x: id } ... on Category { x: id } } }",
        "{ search(term: \"a\") { ... on Product { category { id } } ... on Category { category: products { id } } } }",
        "{ product(id: 1) { category { x: id } category { x: title } } }",
        "{ product(id: 1) { category { x: id y: id } category { x: title y: title } } p2: product(id: 1) { id } }",
        "{ product(id: 1) { ...F name: id } } fragment F on Product { name }",
        "{ product(id: 1) { ...A ...B } } fragment A on Product { x: id } fragment B on Product { x: name }",
        "{ ...Q1 ...Q2 } fragment Q1 on Query { product(id: 1) { ...Inner } } fragment Q2 on Query { product(id: 1) { id: name } } fragment Inner on Product { id }",
        "{ search(term: \"a\", filter: { brand: \"x\", required: true }) { __typename } search(filter: { required: true, brand: \"x\" }, term: \"a\") { __typename } }",
        "{ search(term: \"a\", filter: { brand: \"x\", required: true }) { __typename } search(term: \"a\", filter: { brand: \"y\", required: true }) { __typename } }",
        "query ($a: String!, $b: String!) { search(term: $a) { __typename } search(term: $b) { __typename } }",
        "query ($a: String!) { search(term: $a) { __typename } search(term: $a) { __typename } }",
        "{ ...A } fragment A on Query { ...B count } fragment B on Query { ...A count: status }",
        "{ ...X ...Y count }",
        "{ __typename __typename: count }",
        "mutation { rename(id: 1, name: \"a\") { id } rename(id: 1, name: \"b\") { id } }",
        "{ node(id: 1) { ... on Node { x: id } ... on Product { x: name } } }",
        "{ count count count status status }",
        "{ search(term: \"s\") { ... on Product { ...PF } ... on Category { ...CF } } } fragment PF on Product { v: name } fragment CF on Category { v: products { id } }",
        "{ product(id: 1) { category { ...CatA } category { ...CatB } } } fragment CatA on Category { t: title } fragment CatB on Category { t: id }",
        "{ limited { id } limited(first: 10) { id } }",
        "{ search(term: \"\"\"a\"\"\") { __typename } search(term: \"a\") { __typename } }",
        "{ other { x } other { x: __typename } }",

        // "Did you mean" suggestions.
        "{ prodct(id: 1) { id } }",
        "{ node(id: 1) { name title } }",
        "{ product(id: 1, di: 2) { id } }",
        "query ($v: Strin, $w: filter) { count }",
        "{ search(term: \"a\", filter: { brnd: \"x\", required: true }) { __typename } }",
        "{ statuses(in: [DRAFTT, draft, \"PUBLISHED\", PUBLISHD]) { id } }",
        "{ count @cache(secnds: 1) }",
        "{ ... on Prodct { id } }",
    ];

    /// <summary>
    /// Random documents over the schema with aliases from a small pool, arguments that sometimes differ, inline
    /// fragments and fragment spreads, so overlapping response names meet in every combination the rule knows.
    /// </summary>
    private static List<string> GeneratedDocuments(int count)
    {
        var random = new Random(20261122);
        var documents = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var fragments = new List<string>();
            var fragmentTypes = new List<(string Name, string Type)>();
            for (var f = 0; f < random.Next(3); f++)
            {
                var type = random.Next(2) == 0 ? "Product" : "Category";
                fragmentTypes.Add(($"F{f}", type));
            }

            foreach (var (name, type) in fragmentTypes)
            {
                fragments.Add($"fragment {name} on {type} {Selections(random, type, 1, fragmentTypes)}");
            }

            documents.Add(Selections(random, "Query", 0, fragmentTypes) + " " + string.Join(" ", fragments));
        }

        return documents;
    }

    private static string Selections(Random random, string type, int depth, List<(string Name, string Type)> fragments)
    {
        string[] aliases = ["", "", "", "x: ", "y: "];
        var fields = type switch
        {
            "Query" => new[] { "product(id: 1)", "product(id: 2)", "node(id: 1)", "search(term: \"a\")", "count", "status", "limited" },
            "Product" => ["id", "name", "price(gross: true)", "price(gross: false)", "price(gross: true, currency: \"EUR\")", "category", "__typename"],
            "Category" => ["id", "title", "products", "products(first: 2)", "__typename"],
            _ => ["id", "__typename"],
        };
        var parts = new List<string>();
        for (var n = random.Next(1, 5); n > 0; n--)
        {
            var choice = random.Next(10);
            if (choice < 7 || depth >= 3)
            {
                var field = fields[random.Next(fields.Length)];
                var fieldType = FieldType(type, field);
                var sub = fieldType is null ? "" : " " + Selections(random, fieldType, depth + 1, fragments);
                parts.Add(aliases[random.Next(aliases.Length)] + field + sub);
            }
            else if (choice < 9 && type is "Node" or "SearchHit" or "Product" or "Category")
            {
                var target = random.Next(2) == 0 ? "Product" : "Category";
                if (type is "Product" or "Category")
                {
                    target = type;
                }

                parts.Add($"... on {target} {Selections(random, target, depth + 1, fragments)}");
            }
            else if (fragments.Where(f => type is "Node" or "SearchHit" || f.Type == type).ToList() is { Count: > 0 } usable)
            {
                parts.Add("..." + usable[random.Next(usable.Count)].Name);
            }
        }

        if (parts.Count == 0)
        {
            parts.Add("__typename");
        }

        return "{ " + string.Join(" ", parts) + " }";
    }

    private static string? FieldType(string parent, string field) => (parent, field.Split('(')[0]) switch
    {
        ("Query", "product" or "limited") => "Product",
        ("Query", "node") => "Node",
        ("Query", "search") => "SearchHit",
        ("Product", "category") => "Category",
        ("Category", "products") => "Product",
        _ => null,
    };

    [Fact]
    public async Task Errors_match_graphql_js_message_and_location()
    {
        var (reference, mismatches) = await CompareAsync(Documents);
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
        Assert.True(reference.Count(r => r.GetArrayLength() == 0) == 14, "valid: " + string.Join(" || ", Documents.Where((d, i) => reference[i].GetArrayLength() == 0)));
        Assert.True(reference.Sum(r => r.GetArrayLength()) >= 100, $"only {reference.Sum(r => r.GetArrayLength())} errors compared");
    }

    [Fact]
    public async Task Generated_documents_with_overlapping_fields_get_graphql_js_errors()
    {
        var documents = GeneratedDocuments(300);
        var (reference, mismatches) = await CompareAsync(documents);
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));

        // The generator must really exercise the rule: many documents conflict, many are clean.
        var conflicting = reference.Count(r => r.EnumerateArray().Any(e => e.GetProperty("message").GetString()!.Contains("conflict because", StringComparison.Ordinal)));
        Assert.True(conflicting >= 60, $"only {conflicting} documents with conflicts");
        Assert.True(reference.Count(r => r.GetArrayLength() == 0) >= 30, "too few valid documents");
    }

    [Fact]
    public void Validation_stops_after_one_hundred_errors()
    {
        var document = "{ " + string.Join(" ", Enumerable.Range(0, 150).Select(i => $"unknown{i}")) + " }";
        var errors = Validator.Validate(SdlSchemaBuilder.Build(Sdl), Parser.Parse(document));
        Assert.Equal(101, errors.Count);
        Assert.Equal("Too many validation errors, error limit reached. Validation aborted.", errors[^1].Message);
    }

    private static async Task<(List<JsonElement> Reference, List<string> Mismatches)> CompareAsync(IReadOnlyList<string> documents)
    {
        var schema = SdlSchemaBuilder.Build(Sdl);
        var reference = await ReferenceImplementation.ValidateAsync([.. documents.Select(d => (object)new { sdl = Sdl, query = d })]);

        var mismatches = new List<string>();
        for (var i = 0; i < documents.Count; i++)
        {
            var theirs = reference[i].EnumerateArray().Select(e => Key(e.GetProperty("message").GetString()!,
                e.GetProperty("locations").EnumerateArray().Select(l => (l.GetProperty("line").GetInt32(), l.GetProperty("column").GetInt32())))).Order().ToList();
            var ours = Validator.Validate(schema, Parser.Parse(documents[i]))
                .Select(e => Key(e.Message, (e.Locations ?? []).Select(l => (l.Line, l.Column)))).Order().ToList();
            if (!theirs.SequenceEqual(ours))
            {
                mismatches.Add($"{documents[i]}{Environment.NewLine}  graphql-js: {string.Join(" | ", theirs)}{Environment.NewLine}  ours:       {string.Join(" | ", ours)}");
            }
        }

        return (reference, mismatches);
    }

    private static string Key(string message, IEnumerable<(int Line, int Column)> locations) =>
        message + " @ " + string.Join(",", locations.Select(l => $"{l.Line}:{l.Column}"));
}
