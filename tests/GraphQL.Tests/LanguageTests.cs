using MachCommerce.GraphQL.Language;

namespace MachCommerce.GraphQL.Tests;

public sealed class LanguageTests
{
    private static T Only<T>(Document document) where T : Definition => Assert.IsType<T>(Assert.Single(document.Definitions));

    [Fact]
    public void Values_are_decoded_as_the_specification_says()
    {
        var field = (Field)Only<OperationDefinition>(Parser.Parse(
            "{ f(s: \"a\\u00e4\\u{1F600}\\uD83D\\uDE00\\n\\\"\", b: \"\"\"\n    first\n      second\n\n    third\n  \"\"\", i: -12, x: 1.5e3, e: RED, n: null, t: true, l: [1, [2]], o: {k: $v}) }"))
            .SelectionSet.Selections[0];
        var arguments = field.Arguments.ToDictionary(a => a.Name.Value, a => a.Value);

        Assert.Equal("aä😀😀\n\"", Assert.IsType<StringValue>(arguments["s"]).Value);
        Assert.Equal("first\n  second\n\nthird", Assert.IsType<StringValue>(arguments["b"]).Value);
        Assert.True(((StringValue)arguments["b"]).Block);
        Assert.Equal("-12", Assert.IsType<IntValue>(arguments["i"]).Value);
        Assert.Equal("1.5e3", Assert.IsType<FloatValue>(arguments["x"]).Value);
        Assert.Equal("RED", Assert.IsType<EnumValue>(arguments["e"]).Value);
        Assert.IsType<NullValue>(arguments["n"]);
        Assert.True(Assert.IsType<BooleanValue>(arguments["t"]).Value);
        Assert.IsType<ListValue>(Assert.IsType<ListValue>(arguments["l"]).Values[1]);
        Assert.Equal("v", Assert.IsType<Variable>(Assert.IsType<ObjectValue>(arguments["o"]).Fields[0].Value).Name.Value);
    }

    [Fact]
    public void Nodes_know_where_they_are()
    {
        var operation = Only<OperationDefinition>(Parser.Parse("# comment\r\nquery Q {\n  alias: field\n}"));
        var field = (Field)operation.SelectionSet.Selections[0];

        Assert.Equal((2, 1), (operation.Location.Line, operation.Location.Column));
        Assert.Equal((3, 3), (field.Location.Line, field.Location.Column));
        Assert.Equal("alias", field.ResponseKey);
        Assert.Equal("alias: field", "# comment\r\nquery Q {\n  alias: field\n}"[field.Location.Start..field.Location.End]);
    }

    [Fact]
    public void Limits_stop_hostile_documents_before_they_are_parsed()
    {
        var manyTokens = "{ " + string.Join(' ', Enumerable.Range(0, 200).Select(i => $"f{i}")) + " }";
        var deep = new string('[', 500) + new string(']', 500);

        var tokens = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse(manyTokens, new ParseOptions { MaxTokens = 100 }));
        var nesting = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse($"{{ a(x: {deep}) }}"));
        var length = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse(manyTokens, new ParseOptions { MaxLength = 100 }));

        Assert.Equal("Syntax Error: Document contains more than 100 tokens. Parsing aborted.", tokens.Message);
        Assert.Contains("nests more than 128 levels", nesting.Message, StringComparison.Ordinal);
        Assert.Contains("longer than 100 characters", length.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Type_references_and_single_values_parse_on_their_own()
    {
        var type = Assert.IsType<NonNullType>(Parser.ParseType("[String!]!"));

        Assert.IsType<NonNullType>(Assert.IsType<ListType>(type.Type).Type);
        Assert.Throws<GraphQLSyntaxException>(() => Parser.ParseValue("$v", isConst: true));
        Assert.IsType<ObjectValue>(Parser.ParseValue("{a: [1, 2.5, \"x\"]}", isConst: true));
    }
}
