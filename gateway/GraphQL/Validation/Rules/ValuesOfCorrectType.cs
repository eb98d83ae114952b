// ValuesOfCorrectType (graphql-js: src/validation/rules/ValuesOfCorrectTypeRule.ts): every literal fits the type expected where it stands.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        /// <summary>ValuesOfCorrectType: the literal against its type, as graphql-js's validateInputLiteral (variables are checked elsewhere).</summary>
        private void ValuesOfCorrectType(Language.Value value, TypeReference type)
        {
            if (value is Variable)
            {
                return;
            }

            if (type is NonNull nonNull)
            {
                if (value is NullValue)
                {
                    Report($"Expected value of non-null type \"{type}\" not to be null.", value);
                    return;
                }

                ValuesOfCorrectType(value, nonNull.OfType);
                return;
            }

            if (value is NullValue)
            {
                return;
            }

            switch (type)
            {
                case ListOf list:
                    foreach (var item in value is ListValue items ? items.Values : [value])
                    {
                        ValuesOfCorrectType(item, list.OfType);
                    }

                    break;
                case InputObjectType input:
                    if (value is not ObjectValue objectValue)
                    {
                        Report($"Expected value of type \"{input.Name}\" to be an object, found: {ValuePrinter.Print(value)}.", value);
                        return;
                    }

                    foreach (var field in input.Fields)
                    {
                        var given = objectValue.Fields.FirstOrDefault(f => f.Name.Value == field.Name);
                        if (given is null)
                        {
                            if (field.Type is NonNull && field.DefaultValue is null)
                            {
                                Report($"Expected value of type \"{input.Name}\" to include required field \"{field.Name}\", found: {ValuePrinter.Print(value)}.", value);
                            }
                        }
                        else
                        {
                            ValuesOfCorrectType(given.Value, field.Type);
                        }
                    }

                    var known = new List<ObjectField>();
                    foreach (var field in objectValue.Fields)
                    {
                        if (input.Fields.Exists(f => f.Name == field.Name.Value))
                        {
                            known.Add(field);
                        }
                        else
                        {
                            var suggestion = Suggestions.DidYouMean(Suggestions.For(field.Name.Value, input.Fields.Select(f => f.Name)));
                            Report($"Expected value of type \"{input.Name}\" not to include unknown field \"{field.Name.Value}\"{(suggestion.Length > 0 ? "." + suggestion + " Found" : ", found")}: {ValuePrinter.Print(value)}.", field);
                        }
                    }

                    if (input.IsOneOf && (known.Count != 1 || known[0].Value is NullValue))
                    {
                        Report($"Within OneOf Input Object type \"{input.Name}\", exactly one field must be specified, and the value for that field must be non-null.", value);
                    }

                    break;
                case EnumType @enum:
                    if (value is not EnumValue enumValue)
                    {
                        var printed = ValuePrinter.Print(value);
                        Report($"Enum \"{@enum.Name}\" cannot represent non-enum value: {printed}." + EnumSuggestion(@enum, printed), value);
                    }
                    else if (!@enum.HasValue(enumValue.Value))
                    {
                        Report($"Value \"{enumValue.Value}\" does not exist in \"{@enum.Name}\" enum." + EnumSuggestion(@enum, enumValue.Value), value);
                    }

                    break;
                case ScalarType scalar:
                    try
                    {
                        scalar.ParseLiteral(value);
                    }
                    catch (CoercionException e)
                    {
                        Report(e.Message, value);
                    }

                    break;
            }
        }

        private static string EnumSuggestion(EnumType @enum, string unknown) =>
            Suggestions.DidYouMean(Suggestions.For(unknown, @enum.Values.Select(v => v.Name)), "the enum value");
    }
}
