using MachCommerce.GraphQL.Language;

namespace MachCommerce.GraphQL.Tests;

/// <summary>
/// Our parser beside graphql-js on the same documents: hand-written ones from the specification's grammar and
/// edge cases, and many more generated from them by deleting, repeating or inserting tokens. For each, both must
/// accept or both reject, and a rejection must point at the same line and column.
/// </summary>
public sealed class ParserConformanceTests
{
    private static readonly string[] Valid =
    [
        "{ a }",
        "query { a b c }",
        "query Named { a }",
        "query Q($id: ID!, $first: Int = 10, $tags: [String!]! = [\"a\", \"b\"]) { node(id: $id) { id ... on Product { name(locale: \"de\") } } }",
        "mutation M($input: ProductInput!) { upsert(input: $input) { id } }",
        "subscription S { priceChanged { sku } }",
        "{ alias: field(arg: 1, other: -2.5e3, s: \"x\", b: true, n: null, e: ENUM_VALUE, l: [1, 2], o: {a: 1, b: {c: [true]}}) }",
        "{ a @include(if: true) @skip(if: false) b @custom }",
        "query ($v: Boolean = true @deprecated) { a }",
        "fragment F on Product { id name } { ...F ... on Product { sku } ... @include(if: true) { x } ... { y } }",
        "{ a(x: \"\"\"block\n  string\n    indented\"\"\") }",
        "{ a(x: \"unicode \\u00e4 \\u{1F600} \\uD83D\\uDE00 escapes \\n\\t\\\"\") }",
        "# a comment\n{ a # trailing\n, b,,, c }",
        "\uFEFF{ a }",
        "{ a }\r\n{ b }\r{ c }",
        "query on { on: on(on: on) }",
        "{ __typename __schema { types { name } } }",
        "schema { query: Query mutation: Mutation }",
        "\"\"\"The schema\"\"\" schema @dir { query: Q }",
        "scalar DateTime @specifiedBy(url: \"https://scalars.graphql.org/andimarek/date-time\")",
        "type Product implements Node & Priced @key(fields: \"id\") { id: ID! \"desc\" name(locale: String = \"de\"): String @deprecated(reason: \"no\") prices: [Price!]! }",
        "type A implements & B & C { a: Int }",
        "interface Node implements Entity { id: ID! }",
        "union SearchResult = | Product | Category",
        "union U @dir = A | B",
        "enum Status { DRAFT PUBLISHED \"gone\" ARCHIVED @deprecated }",
        "input ProductInput @oneOf { sku: String name: String = \"x\" @deprecated }",
        "directive @cost(weight: Int = 1) repeatable on FIELD_DEFINITION | ARGUMENT_DEFINITION",
        "directive @a on | QUERY | MUTATION",
        "extend schema @dir { subscription: S }",
        "extend scalar DateTime @dir",
        "extend type Product implements Other @dir { extra: Int }",
        "extend interface Node { more: Int }",
        "extend union U = C",
        "extend enum Status { HIDDEN }",
        "extend input ProductInput { extra: Int }",
        "type Empty",
        "\"query description\" query Q { a }",
        "\"fragment description\" fragment F on T { a }",
        "query Q(\"variable description\" $a: Int) { a }",
        "{ a(x: 0, y: -0, z: 0.0, w: 1E10, v: 1.5e-3) }",
        "{ a(list: [[1], [], [[]]], obj: {}) }",
    ];

    private static readonly string[] Invalid =
    [
        "",
        "   ",
        "{ }",
        "{",
        "}",
        "{ a",
        "query",
        "query Q",
        "{ a(x: ) }",
        "{ a(x: 01) }",
        "{ a(x: 1.) }",
        "{ a(x: .5) }",
        "{ a(x: 1e) }",
        "{ a(x: 1.2.3) }",
        "{ a(x: 0xFF) }",
        "{ a(x: 12abc) }",
        "{ a(x: \"unterminated) }",
        "{ a(x: \"line\nbreak\") }",
        "{ a(x: \"\\x\") }",
        "{ a(x: \"\\u12\") }",
        "{ a(x: \"\\uD800\") }",
        "{ a(x: \"\\u{110000}\") }",
        "{ a(x: \"\\u{}\") }",
        "{ a(x: \"\"\"unterminated block) }",
        "{ a(x: 'single') }",
        "{ a(x: \"tab\tok but bell \u0007\") }",
        "{ a } %",
        "{ a .. }",
        "{ ...on }",
        "fragment on on T { a }",
        "fragment F T { a }",
        "fragment F on { a }",
        "query Q($a: Int = $b) { a }",
        "query Q($a) { a }",
        "query Q($a: Int!!) { a }",
        "query Q($a: [Int) { a }",
        "{ a(x: {b}) }",
        "{ a(x: [1, 2) }",
        "{ a @ }",
        "{ a: }",
        "{ a: b: c }",
        "mutation { }",
        "notakeyword { a }",
        "\"description\" { a }",
        "\"description\" extend type T @a",
        "extend type T",
        "extend scalar S",
        "extend schema",
        "extend foo T",
        "type T { a }",
        "type T { a: }",
        "type T implements { a: Int }",
        "union U = ",
        "enum E { true }",
        "enum E { null }",
        "input I { a: Int = $v }",
        "directive @d on UNKNOWN_LOCATION",
        "directive @d",
        "directive d on FIELD",
        "schema { query }",
        "scalar",
        "{ a(x: \"\\u{1F6000}\") }",
        "\uD800{ a }",
        "{ a } }",
        "{ a(b: c) (d: e) }",
    ];

    [Fact]
    public async Task Hand_written_documents_get_the_same_verdict_and_error_location_as_graphql_js()
    {
        var documents = Valid.Concat(Invalid).ToList();

        var mismatches = await CompareAsync(documents);

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
        Assert.All(Valid, source => Parser.Parse(source));
    }

    [Fact]
    public async Task Generated_variants_of_valid_documents_get_the_same_verdict_and_error_location_as_graphql_js()
    {
        var random = new Random(20261121);
        var documents = new List<string>();
        foreach (var source in Valid)
        {
            var tokens = Tokens(source);
            for (var i = 0; i < 8; i++)
            {
                documents.Add(Mutate(source, tokens, random));
            }
        }

        var mismatches = await CompareAsync(documents);

        Assert.True(documents.Count >= 300);
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {documents.Count} differ:{Environment.NewLine}{string.Join(Environment.NewLine, mismatches.Take(40))}");
    }

    private static async Task<List<string>> CompareAsync(List<string> documents)
    {
        var reference = await ReferenceImplementation.ParseAsync(documents);
        var mismatches = new List<string>();
        for (var i = 0; i < documents.Count; i++)
        {
            var expected = reference[i];
            string? ours = null;
            var (line, column) = (0, 0);
            try
            {
                Parser.Parse(documents[i]);
            }
            catch (GraphQLSyntaxException e)
            {
                ours = e.Message;
                (line, column) = (e.Line, e.Column);
            }

            if (expected.Ok != (ours is null) || !expected.Ok && (expected.Line, expected.Column) != (line, column))
            {
                mismatches.Add($"{Show(documents[i])}: graphql-js {(expected.Ok ? "accepts" : $"{expected.Line}:{expected.Column} {expected.Message}")}; " +
                               $"ours {(ours is null ? "accepts" : $"{line}:{column} {ours}")}");
            }
        }

        return mismatches;
    }

    /// <summary>Token boundaries of a valid document, by our own lexer.</summary>
    private static List<(int Start, int End)> Tokens(string source)
    {
        var lexer = new Lexer(source);
        var tokens = new List<(int, int)>();
        for (var token = lexer.Advance(); token.Kind != TokenKind.EndOfFile; token = lexer.Advance())
        {
            tokens.Add((token.Start, token.End));
        }

        return tokens;
    }

    private static readonly string[] Insertions = ["{", "}", "(", ")", "[", "]", ":", "=", "@", "$", "!", "|", "&", "...", "on", "query", "1", "\"s\"", "null", "#c\n", ","];

    private static string Mutate(string source, List<(int Start, int End)> tokens, Random random)
    {
        var (start, end) = tokens[random.Next(tokens.Count)];
        return random.Next(3) switch
        {
            0 => source.Remove(start, end - start),
            1 => source.Insert(end, " " + source[start..end]),
            _ => source.Insert(random.Next(2) == 0 ? start : end, " " + Insertions[random.Next(Insertions.Length)] + " "),
        };
    }

    private static string Show(string source)
    {
        var shown = new StringBuilder();
        foreach (var c in source.Length > 120 ? source[..120] + "…" : source)
        {
            shown.Append(c < 0x20 || char.IsSurrogate(c) || c == '\uFEFF' ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return shown.ToString();
    }
}
