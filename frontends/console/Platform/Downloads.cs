using Microsoft.JSInterop;

namespace MachCommerce.MerchantConsole.Platform;

/// <summary>Hands bytes to the browser as a file download (through <c>wwwroot/console.js</c>).</summary>
public static class Downloads
{
    public static async Task SaveAsync(IJSRuntime js, string fileName, string contentType, byte[] content)
    {
        using var stream = new MemoryStream(content);
        using var reference = new DotNetStreamReference(stream);
        await js.InvokeVoidAsync("machConsole.saveFile", fileName, contentType, reference);
    }
}
