using VideoGen.Server.Apis;

namespace VideoGen.Server.Tests.Api;

/// <summary>The paging query shared by the videos and admin list routes: one reading of limit and cursor, one wording.</summary>
public sealed class PagingTests
{
    [Fact]
    public void ReadLimit_Absent_IsTheDefaultPageSize()
    {
        var errors = new Dictionary<string, string[]>();

        Assert.Equal(20, Paging.ReadLimit(null, errors));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("100", 100)]
    public void ReadLimit_InRange_IsThePageSize(string limit, int expected)
    {
        var errors = new Dictionary<string, string[]>();

        Assert.Equal(expected, Paging.ReadLimit(limit, errors));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("abc")]
    [InlineData("")]
    public void ReadLimit_OutOfRangeOrNotANumber_IsRecordedUnderLimit(string limit)
    {
        var errors = new Dictionary<string, string[]>();

        Paging.ReadLimit(limit, errors);

        var message = Assert.Single(Assert.Contains("limit", errors));
        Assert.Equal("limit must be an integer from 1 to 100.", message);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(200, true)]
    [InlineData(201, false)]
    public void HasCursorLength_RefusesEmptyAndOverlongCursors(int length, bool expected)
    {
        Assert.Equal(expected, Paging.HasCursorLength(new string('a', length)));
    }
}
