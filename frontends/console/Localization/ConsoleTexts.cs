namespace MachCommerce.MerchantConsole.Localization;

/// <summary>The console's words: the German text is the key, the English is in <c>ConsoleTexts.en.resx</c> beside this file.</summary>
public sealed class ConsoleTexts;
