using MachCommerce.Contracts;

namespace MachCommerce.Testing.Messaging.Contracts.V1
{
    /// <summary>The test producer's event, as the consumer's build knows it.</summary>
    public sealed record NoteAdded : IIntegrationEvent
    {
        public required string TenantId { get; init; }
        public required DateTimeOffset OccurredAt { get; init; }
        public required Guid NoteId { get; init; }
        public required string OrderingKey { get; init; }
        public required int Seq { get; init; }
        public required string Text { get; init; }
    }
}

namespace MachCommerce.Testing.Messaging.Contracts.NewerBuild
{
    /// <summary>
    /// The same V1 event as a newer producer build has it: one optional property more. The URN makes it the same
    /// message type on the wire, as it would be if this were the next version of the contracts package.
    /// </summary>
    [MassTransit.MessageUrn("MachCommerce.Testing.Messaging.Contracts.V1:NoteAdded", useDefaultPrefix: true)]
    [MassTransit.EntityName("MachCommerce.Testing.Messaging.Contracts.V1:NoteAdded")]
    public sealed record NoteAdded : IIntegrationEvent
    {
        public required string TenantId { get; init; }
        public required DateTimeOffset OccurredAt { get; init; }
        public required Guid NoteId { get; init; }
        public required string OrderingKey { get; init; }
        public required int Seq { get; init; }
        public required string Text { get; init; }
        public string? Colour { get; init; }
    }
}
