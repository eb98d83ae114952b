using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MachCommerce.LocalInfrastructure;
using MachCommerce.MerchantConsole.Localization;
using MachCommerce.MerchantConsole.Offers;
using MachCommerce.MerchantConsole.Segments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace MachCommerce.Console.Tests;

/// <summary>
/// The console's two languages: every German text a page asks for has its English entry (and no entry is left over),
/// the entries keep the numbers and names the pages put in, and the cultures write numbers and dates as their readers do.
/// </summary>
public sealed partial class ConsoleTextsTests
{
    private static readonly string ConsoleFolder = Path.Combine(RepositoryPaths.FindRoot(), "frontends", "console");

    /// <summary>The localizer the pages get, as the console registers it.</summary>
    public static IStringLocalizer<ConsoleTexts> Localizer { get; } =
        new ServiceCollection().AddLogging().AddConsoleLanguages().BuildServiceProvider().GetRequiredService<IStringLocalizer<ConsoleTexts>>();

    [Fact]
    public void Every_text_a_page_asks_for_has_its_english_entry_and_no_entry_is_left_over()
    {
        var asked = AskedTexts();
        var english = EnglishEntries();

        Assert.True(asked.Count > 400, $"only {asked.Count} texts found: the source scan is broken");
        var missing = asked.Where(text => !english.ContainsKey(text)).ToList();
        Assert.True(missing.Count == 0, "German texts without English: " + string.Join(" | ", missing));
        var unused = english.Keys.Where(text => !asked.Contains(text)).ToList();
        Assert.True(unused.Count == 0, "English entries no page asks for: " + string.Join(" | ", unused));
    }

    /// <summary>
    /// The build keeps one of two entries whose names differ only in case ("seit" and "Seit"): the other page then showed
    /// its German. So every entry of the file must be what the localizer serves.
    /// </summary>
    [Fact]
    public void The_localizer_serves_every_english_entry_as_written()
    {
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            Use(ConsoleLanguages.English);
            var wrong = EnglishEntries().Where(entry => Localizer[entry.Key].Value != entry.Value).Select(entry => $"{entry.Key} → {Localizer[entry.Key].Value}").ToList();
            Assert.True(wrong.Count == 0, "Entries the localizer does not serve as written: " + string.Join(" | ", wrong));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
    }

    [Fact]
    public void English_entries_keep_the_placeholders_and_are_translations()
    {
        foreach (var (german, english) in EnglishEntries())
        {
            Assert.Equal(Placeholders(german), Placeholders(english));
            Assert.False(string.IsNullOrWhiteSpace(english), $"empty English for \"{german}\"");
            Assert.DoesNotMatch(@"[äöüßÄÖÜ]", english);
        }
    }

    [Fact]
    public void The_localizer_speaks_the_readers_language_and_german_without_a_table()
    {
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            Use(ConsoleLanguages.English);
            Assert.Equal("Save", Localizer["Speichern"]);
            Assert.Equal("Import 1,234 products", Localizer["{0} Produkte importieren", 1234.ToString("N0", CultureInfo.CurrentCulture)]);
            Assert.Equal("Home page top", Localizer[OfferTexts.Placements[0].Label]);

            Use(ConsoleLanguages.German);
            Assert.Equal("Speichern", Localizer["Speichern"]);
            Assert.Equal("1.234 Produkte importieren", Localizer["{0} Produkte importieren", 1234.ToString("N0", CultureInfo.CurrentCulture)]);

        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
    }

    [Theory]
    [InlineData("en-GB,en;q=0.9,de;q=0.5", "en")]
    [InlineData("fr-FR,fr;q=0.9,en-US;q=0.8,de;q=0.7", "en")]
    [InlineData("de-DE", "de")]
    [InlineData("de-AT;q=0.4,en-US;q=0.6", "en")]
    [InlineData("fr-FR", null)]
    [InlineData("", null)]
    public void A_browser_gets_the_first_language_it_asks_for_that_the_console_speaks(string acceptLanguage, string? expected)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Headers.AcceptLanguage = acceptLanguage;

        Assert.Equal(expected, ConsoleLanguages.FromBrowser(context)?.UICultures.Single().Value);
    }

    [Fact]
    public void Each_language_writes_numbers_and_dates_as_its_readers_do()
    {
        var german = ConsoleLanguages.Supported.Single(c => c.Name == ConsoleLanguages.German);
        var english = ConsoleLanguages.Supported.Single(c => c.Name == ConsoleLanguages.English);
        var day = new DateTimeOffset(2026, 3, 7, 14, 5, 9, TimeSpan.Zero);

        Assert.Equal("1.234,50", 1234.5.ToString("N2", german));
        Assert.Equal("07.03.2026", day.ToString("d", german));
        Assert.Equal("07.03.2026 14:05", day.ToString("g", german));
        Assert.Equal("07.03.2026 14:05:09", day.ToString("G", german));
        Assert.Equal("7. März", day.ToString("d. MMMM", german));

        Assert.Equal("1,234.50", 1234.5.ToString("N2", english));
        Assert.Equal("7 Mar 2026", day.ToString("d", english));
        Assert.Equal("7 Mar 2026 14:05", day.ToString("g", english));
    }

    private static void Use(string language) =>
        (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (ConsoleLanguages.Supported.Single(c => c.Name == language), ConsoleLanguages.Supported.Single(c => c.Name == language));

    /// <summary>
    /// The texts the console asks for: every <c>L["…"]</c> in its pages and code, and the German labels of its choice
    /// lists (placements, statuses, incentives, segment fields and comparisons), which pages pass to <c>L[label]</c>.
    /// </summary>
    private static HashSet<string> AskedTexts()
    {
        var asked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(ConsoleFolder, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                              && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            foreach (Match match in LocalizedText().Matches(File.ReadAllText(file)))
            {
                asked.Add(Regex.Unescape(match.Groups["text"].Value));
            }
        }

        asked.UnionWith(OfferTexts.Placements.Concat(OfferTexts.Statuses).Concat(OfferTexts.Incentives).Select(choice => choice.Label));
        asked.UnionWith(SegmentRules.Fields.Select(field => field.Label));
        asked.UnionWith(SegmentRules.Operators.Select(op => op.Label));
        return asked;
    }

    private static Dictionary<string, string> EnglishEntries() =>
        XDocument.Load(Path.Combine(ConsoleFolder, "Localization", "ConsoleTexts.en.resx"), LoadOptions.PreserveWhitespace).Root!.Elements("data")
            .ToDictionary(data => (string)data.Attribute("name")!, data => (string)data.Element("value")!, StringComparer.Ordinal);

    private static List<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\bL\[""(?<text>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LocalizedText();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
