using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MachCommerce.Testing;

/// <summary>
/// xunit's own framework plus one step at the end of the assembly: stop the servers <see cref="TestServers"/>
/// started, before the runner is told the assembly finished. (The runner may end the test process right after
/// that message, too soon for a ProcessExit handler to stop RabbitMQ and its epmd.) Test projects opt in with
/// <c>[assembly: TestFramework(ServersTestFramework.TypeName, ServersTestFramework.AssemblyName)]</c>.
/// </summary>
public sealed class ServersTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    public const string TypeName = "MachCommerce.Testing.ServersTestFramework";
    public const string AssemblyName = "MachCommerce.Testing";

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await TestServers.StopAsync();
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
