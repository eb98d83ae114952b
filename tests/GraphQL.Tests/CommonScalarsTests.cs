using MachCommerce.GraphQL.Execution;
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Tests;

public sealed class CommonScalarsTests
{
    [Fact]
    public void Whole_numbers_stay_integers_in_JSON_values_and_literals()
    {
        var json = (IDictionary<string, object?>)JsonValues.ToObject(System.Text.Json.JsonDocument.Parse("""{ "n": 5, "x": 2.5, "big": 1e300, "list": [1, -2] }""").RootElement)!;
        Assert.IsType<long>(json["n"]);
        Assert.Equal(5L, json["n"]);
        Assert.IsType<double>(json["x"]);
        Assert.IsType<double>(json["big"]);
        Assert.All((List<object?>)json["list"]!, item => Assert.IsType<long>(item));

        var literal = Language.Parser.ParseValue("{ n: 7, x: 1.5, huge: 123456789012345678901234567890 }");
        var value = (IDictionary<string, object?>)JsonValues.FromLiteral(literal)!;
        Assert.IsType<long>(value["n"]);
        Assert.IsType<double>(value["x"]);
        Assert.IsType<double>(value["huge"]);
    }

    [Fact]
    public async Task DateTime_Decimal_URL_and_JSON_round_trip_and_refuse_what_they_cannot_represent()
    {
        var echo = new ObjectType("Query");
        foreach (var scalar in new[] { CommonScalars.DateTime, CommonScalars.Decimal, CommonScalars.Url, CommonScalars.Json })
        {
            echo.Fields.Add(new OutputField(scalar.Name.ToLowerInvariant(), scalar, [new InputValue("value", scalar)]) { Resolve = c => ValueTask.FromResult(c.Arguments["value"]) });
        }

        var schema = new Schema(echo);
        async Task<ExecutionResult> Run(string query, string? variables = null) =>
            await Executor.ExecuteAsync(new ExecutionRequest(schema, Parser.Parse(query), null, variables is null ? null : JsonDocument.Parse(variables).RootElement));

        var good = await Run("""query ($d: Decimal, $j: JSON) { datetime(value: "2026-11-21T09:30:00+01:00") decimal(value: $d) url(value: "https://shop.example/p/1") json(value: $j) }""",
            """{"d": "19.99", "j": {"a": [1, "x", true]}}""");
        var badDate = await Run("""{ datetime(value: "21.11.2026") }""");
        var badUrl = await Run("""{ url(value: "/relative") }""");
        var badDecimal = await Run("""query ($d: Decimal) { decimal(value: $d) }""", """{"d": "abc"}""");

        Assert.Empty(good.Errors);
        Assert.Equal("""{"datetime":"2026-11-21T09:30:00+01:00","decimal":"19.99","url":"https://shop.example/p/1","json":{"a":[1,"x",true]}}""", JsonSerializer.Serialize(good.Data, MachCommerce.GraphQL.Http.GraphQLHttp.ResponseJson));
        Assert.Contains("expected RFC 3339", Assert.Single(badDate.Errors).Message, StringComparison.Ordinal);
        Assert.Contains("absolute http(s) URL", Assert.Single(badUrl.Errors).Message, StringComparison.Ordinal);
        Assert.Equal("Variable \"$d\" has invalid value: Decimal cannot represent value: \"abc\"", Assert.Single(badDecimal.Errors).Message);
    }
}
