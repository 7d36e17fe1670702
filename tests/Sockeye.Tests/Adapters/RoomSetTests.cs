using Sockeye.Adapters;

namespace Sockeye.Tests.Adapters;

public sealed class RoomSetTests
{
    [Fact]
    public void Holds_one_entry_and_refuses_it_twice()
    {
        var set = new RoomSet();

        Assert.True(set.Add("a"));
        Assert.False(set.Add("a"));

        Assert.Equal(1, set.Count);
        Assert.Equal(["a"], set.ToArray());
    }

    [Fact]
    public void Grows_past_one_entry_and_shrinks_back_to_empty()
    {
        var set = new RoomSet();
        set.Add("a");

        Assert.True(set.Add("b"));
        Assert.False(set.Add("a"));
        Assert.True(set.Add("c"));
        Assert.Equal(["a", "b", "c"], set.Order());

        Assert.True(set.Remove("b"));
        Assert.False(set.Remove("b"));
        Assert.Equal(["a", "c"], set.Order());

        set.Remove("a");
        set.Remove("c");
        Assert.Equal(0, set.Count);
        Assert.Empty(set);
    }

    [Fact]
    public void Removing_the_single_entry_empties_it_and_another_can_take_its_place()
    {
        var set = new RoomSet();
        set.Add("a");

        Assert.False(set.Remove("z"));
        Assert.True(set.Remove("a"));
        Assert.Empty(set);

        Assert.True(set.Add("z"));
        Assert.Equal(["z"], set.ToArray());
    }

    [Fact]
    public void Compares_names_ordinally()
    {
        var set = new RoomSet();
        set.Add("room");

        Assert.True(set.Add("Room"));
        Assert.Equal(2, set.Count);
        Assert.False(set.Remove("ROOM"));
    }
}
