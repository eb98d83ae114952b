namespace MachCommerce.LocalInfrastructure;

public static class RepositoryPaths
{
    public const string SolutionFile = "MachCommerce.slnx";

    /// <summary>The repository root: the nearest folder upwards that holds the solution file.</summary>
    public static string FindRoot(string? start = null)
    {
        for (var directory = new DirectoryInfo(start ?? AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new InfrastructureException($"Cannot find {SolutionFile} above {start ?? AppContext.BaseDirectory}; run from inside the repository.");
    }

    /// <summary>The git-ignored folder for local servers' data: <c>.data/</c> in the repository root.</summary>
    public static string DataRoot(string? start = null) => Path.Combine(FindRoot(start), ".data");
}
