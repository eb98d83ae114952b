namespace MachCommerce.Client.Identity;

/// <summary>
/// The shop's partner clients at the identity service (<c>/api/identity/clients</c>): systems that get access tokens
/// with OAuth client credentials (an owner's right: clients:manage). A secret is shown once, in the answer that makes it.
/// </summary>
public interface IPartnerClientsApi
{
    [Get("/api/identity/clients")]
    Task<PartnerClientPage> ListClientsAsync(string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    [Get("/api/identity/clients/{clientId}")]
    Task<PartnerClientView> GetClientAsync(string clientId, CancellationToken cancellationToken = default);

    /// <summary>A client with a secret, or with the partner's own keys (<see cref="PartnerClientInput.Jwks"/>, <c>private_key_jwt</c>).</summary>
    [Post("/api/identity/clients")]
    Task<PartnerClientSecret> CreateClientAsync([Body] PartnerClientInput client, CancellationToken cancellationToken = default);

    /// <summary>A new secret; the old one stops working at once.</summary>
    [Post("/api/identity/clients/{clientId}/secret")]
    Task<PartnerClientSecret> RotateClientSecretAsync(string clientId, CancellationToken cancellationToken = default);

    /// <summary>The client's tokens stop working when they expire; it can get no new ones.</summary>
    [Delete("/api/identity/clients/{clientId}")]
    Task DeleteClientAsync(string clientId, CancellationToken cancellationToken = default);
}
