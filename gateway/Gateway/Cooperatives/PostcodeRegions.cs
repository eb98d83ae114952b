namespace MachCommerce.Gateway.Cooperatives;

/// <summary>
/// Where a German postcode is, as near as this bundled table knows: the main town of its two-digit postcode region
/// (Leitregion, e.g. 83 → Rosenheim), so a distance between two postcodes is good to some 20–40 km. Enough to
/// order member shops by "near you" across Bavaria or Germany; a shop that gives its exact coordinates is placed
/// exactly, and a finer table (five-digit centroids) can replace this file without a code change.
/// </summary>
public static class PostcodeRegions
{
    private static readonly Dictionary<string, (string Town, double Latitude, double Longitude)> Regions = Load();

    public static bool IsWellFormed(string? postcode) => postcode is { Length: 5 } && postcode.All(char.IsAsciiDigit);

    /// <summary>The coordinates of the postcode's region; false for a malformed postcode or an unused region (05, 11, 43, 62).</summary>
    public static bool TryLocate(string? postcode, out double latitude, out double longitude)
    {
        (latitude, longitude) = (0, 0);
        if (!IsWellFormed(postcode) || !Regions.TryGetValue(postcode![..2], out var region))
        {
            return false;
        }

        (latitude, longitude) = (region.Latitude, region.Longitude);
        return true;
    }

    /// <summary>Great-circle distance in kilometres (haversine on a sphere of the earth's mean radius).</summary>
    public static double DistanceKm(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        const double EarthRadiusKm = 6371.0088;
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(latitude2 - latitude1);
        var dLon = Radians(longitude2 - longitude1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Radians(latitude1)) * Math.Cos(Radians(latitude2)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static Dictionary<string, (string, double, double)> Load()
    {
        using var stream = typeof(PostcodeRegions).Assembly.GetManifestResourceStream("MachCommerce.Gateway.Cooperatives.postcode-regions.csv")!;
        using var reader = new StreamReader(stream);
        var regions = new Dictionary<string, (string, double, double)>(StringComparer.Ordinal);
        reader.ReadLine(); // header
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var fields = line.Split(';');
            regions[fields[0]] = (fields[1], double.Parse(fields[2], CultureInfo.InvariantCulture), double.Parse(fields[3], CultureInfo.InvariantCulture));
        }

        return regions;
    }
}
