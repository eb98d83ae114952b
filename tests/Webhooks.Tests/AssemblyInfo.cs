using MachCommerce.Testing;

[assembly: TestFramework(ServersTestFramework.TypeName, ServersTestFramework.AssemblyName)]
