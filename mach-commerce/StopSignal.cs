using System.Runtime.InteropServices;

namespace MachCommerce.Launcher;

/// <summary>Turns Ctrl-C, SIGTERM and SIGHUP into one cancellation, so every way of stopping shuts down in order.</summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly List<PosixSignalRegistration> _registrations;

    public StopSignal()
    {
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal =>
            PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true; // we stop ourselves, after the children
                _source.Cancel();
            }))];
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }
}
