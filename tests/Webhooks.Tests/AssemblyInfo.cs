[assembly: TestFramework(ServersTestFramework.TypeName, ServersTestFramework.AssemblyName)]
