using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace MachCommerce.Gateway.Tests;

/// <summary>A partner's webhook receiver: WireMock.Net on loopback, answering every POST with 200.</summary>
internal static class PartnerReceiver
{
    public static WireMockServer Start()
    {
        var receiver = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort.Pick()}"] });
        receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        return receiver;
    }

    /// <summary>The one delivery the receiver got, once it got it (the platform delivers in the background).</summary>
    public static async Task<IRequestMessage> OnlyDeliveryAsync(this WireMockServer receiver)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!receiver.LogEntries.Any() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return Assert.Single(receiver.LogEntries).RequestMessage;
    }
}
