using Spectre.Console;

namespace MachCommerce.Launcher.Processes;

/// <summary>
/// Prints each process's output with its name in front. Services log JSON (for machines); here it is turned
/// back into one short line for a person, with the level and, when there is one, the exception's first line.
/// </summary>
internal static class LogPrinter
{
    private static readonly Lock Gate = new();
    private static readonly string[] Colors = ["deepskyblue1", "springgreen2", "orange1", "orchid", "gold1", "turquoise2"];
    private static int _width = 10;

    public static void Register(string name) => _width = Math.Max(_width, name.Length);

    public static string ColorOf(string name) => Colors[Math.Abs(StringComparer.Ordinal.GetHashCode(name)) % Colors.Length];

    public static void Line(string name, string line)
    {
        var (level, text) = Render(line);
        var levelMarkup = level switch
        {
            "Error" or "Critical" => "[red]ERR[/] ",
            "Warning" => "[yellow]WRN[/] ",
            "Debug" or "Trace" => "[grey]DBG[/] ",
            _ => "",
        };
        lock (Gate)
        {
            AnsiConsole.MarkupLine($"[{ColorOf(name)}]{Markup.Escape(name.PadRight(_width))}[/] | {levelMarkup}{Markup.Escape(text)}");
        }
    }

    public static void Info(string text)
    {
        lock (Gate)
        {
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape("mach".PadRight(_width))}[/] | {Markup.Escape(text)}");
        }
    }

    private static (string? Level, string Text) Render(string line)
    {
        if (!line.StartsWith('{'))
        {
            return (null, line);
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var level = root.TryGetProperty("LogLevel", out var l) ? l.GetString() : null;
            var message = root.TryGetProperty("Message", out var m) ? m.GetString() ?? "" : line;
            if (root.TryGetProperty("Exception", out var exception) && exception.GetString() is { Length: > 0 } text)
            {
                message += " — " + text.Split('\n')[0].Trim();
            }

            return (level, message);
        }
        catch (JsonException)
        {
            return (null, line);
        }
    }
}
