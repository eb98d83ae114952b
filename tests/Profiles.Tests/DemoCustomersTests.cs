using MachCommerce.Launcher.DemoData;
using MachCommerce.Profiles.Profiles;

namespace MachCommerce.Profiles.Tests;

public sealed class DemoCustomersTests
{
    [Fact]
    public void The_demo_customers_are_valid_unique_and_the_same_on_every_run()
    {
        var first = DemoCustomers.For("eisen-berger", 300, 42).ToList();
        var second = DemoCustomers.For("eisen-berger", 300, 42).ToList();

        Assert.All(first, customer => Assert.NotNull(ProfileValidator.Validate(customer.Profile, [])));
        Assert.Equal(300, first.Select(c => c.Profile.Email).Distinct().Count());
        Assert.Equal(first.Select(c => c.Profile.Email), second.Select(c => c.Profile.Email));
        Assert.Contains(first, c => c.Profile.Kind == "company");
        Assert.Contains(first, c => !c.Consents["personalization"]);
    }
}
