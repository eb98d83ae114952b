using System.Text.Json;
using System.Text.RegularExpressions;
using MachCommerce.GraphQL.Execution;
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;
using MachCommerce.GraphQL.Validation;

namespace MachCommerce.GraphQL.Tests;

/// <summary>
/// Validation beside graphql-js's validate() (with the rules implemented so far) on one schema: the same errors,
/// message and locations, for valid documents and for documents that break each rule.
/// </summary>
public sealed partial class ValidationConformanceTests
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
    ];

    [Fact]
    public async Task Errors_match_graphql_js_message_and_location()
    {
        var schema = SdlSchemaBuilder.Build(Sdl);
        var reference = await ReferenceImplementation.ValidateAsync([.. Documents.Select(d => (object)new { sdl = Sdl, query = d })]);

        var mismatches = new List<string>();
        for (var i = 0; i < Documents.Length; i++)
        {
            var theirs = reference[i].EnumerateArray().Select(e => Key(e.GetProperty("message").GetString()!,
                e.GetProperty("locations").EnumerateArray().Select(l => (l.GetProperty("line").GetInt32(), l.GetProperty("column").GetInt32())))).Order().ToList();
            var ours = Validator.Validate(schema, Parser.Parse(Documents[i]))
                .Select(e => Key(e.Message, (e.Locations ?? []).Select(l => (l.Line, l.Column)))).Order().ToList();
            if (!theirs.SequenceEqual(ours))
            {
                mismatches.Add($"{Documents[i]}{Environment.NewLine}  graphql-js: {string.Join(" | ", theirs)}{Environment.NewLine}  ours:       {string.Join(" | ", ours)}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
        Assert.True(reference.Count(r => r.GetArrayLength() == 0) == 10, "valid: " + string.Join(" || ", Documents.Where((d, i) => reference[i].GetArrayLength() == 0)));
        Assert.True(reference.Sum(r => r.GetArrayLength()) >= 65, $"only {reference.Sum(r => r.GetArrayLength())} errors compared");
    }

    /// <summary>Suggestions ("Did you mean ...?") are not made by our engine yet; the rest of the message must be the same.</summary>
    private static string Key(string message, IEnumerable<(int Line, int Column)> locations) =>
        Suggestion().Replace(message, "") + " @ " + string.Join(",", locations.Select(l => $"{l.Line}:{l.Column}"));

    [GeneratedRegex(" Did you mean .*\\?$")]
    private static partial Regex Suggestion();
}
