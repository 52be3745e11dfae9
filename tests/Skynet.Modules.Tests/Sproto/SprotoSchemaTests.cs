using Skynet.Sproto;

namespace Skynet.Modules.Tests.Sproto;

/// <summary>The schema language: what parses, what the model says, and the errors sprotoparser gives.</summary>
public sealed class SprotoSchemaTests
{
    [Fact]
    public void Model_reflects_the_schema()
    {
        var schema = SprotoSchema.Parse(SprotoVectors.Schema("addressbook.sproto"));
        var person = schema.GetType("Person");
        Assert.Equal(["name", "id", "email", "phone", "height", "data", "weight"], person.Fields.Select(f => f.Name));
        Assert.Equal("Person.PhoneNumber", person.FindField("phone")!.Struct!.Name);
        Assert.Equal(2, person.FindField("height")!.Decimal);
        Assert.True(person.FindField("data")!.IsBinary);
        var book = schema.GetType("AddressBook").FindField("person")!;
        Assert.Equal((true, 1, false), (book.IsArray, book.KeyTag, book.IsMap));
        var dict = schema.GetType("Dict").FindField("idict")!;
        Assert.Equal((3, true), (dict.KeyTag, dict.IsMap));
        var foobar = schema.GetProtocol("foobar");
        Assert.Equal(("Person", "foobar.response"), (foobar.Request!.Name, foobar.Response!.Name));
        Assert.True(schema.GetProtocol(3).Confirm);
        Assert.Null(schema.GetProtocol("blackhole").Request);
    }

    [Fact]
    public void Names_resolve_innermost_scope_first()
    {
        var schema = SprotoSchema.Parse("""
            .A { x 0 : integer }
            .B {
                .A { y 0 : string }
                inner 0 : A
                outer 1 : C
                .C { .A { z 0 : boolean } deep 0 : A }
            }
            .C { w 0 : B.A }
            """);
        Assert.Equal("B.A", schema.GetType("B").FindField("inner")!.Struct!.Name);
        Assert.Equal("B.C", schema.GetType("B").FindField("outer")!.Struct!.Name);
        Assert.Equal("B.C.A", schema.GetType("B.C").FindField("deep")!.Struct!.Name);
        Assert.Equal("B.A", schema.GetType("C").FindField("w")!.Struct!.Name);
    }

    [Theory]
    [InlineData(".A { a 0 : integer\n b 0 : string }", "redefine tag 0 in type A")]
    [InlineData(".A { a 0 : integer\n a 1 : string }", "redefine a in type A")]
    [InlineData(".A {}\n.A {}", "redefined A")]
    [InlineData(".A { b 0 : Missing }", "Undefined type Missing in type A")]
    [InlineData("p 1 { request Missing }", "Undefined request type Missing in protocol p")]
    [InlineData("p 1 {}\nq 1 {}", "redefined protocol tag 1")]
    [InlineData("p 1 { request {}\n request {} }", "redefine request in protocol p")]
    [InlineData(".A { a 0 : integer\n .B { x 0 : integer }\n m 1 : *B() }", "Invalid map definition: m, must only have two fields")]
    [InlineData(".A { .B { x 0 : *integer\n y 1 : integer } m 1 : *B(nope) }", "Invalid map index :nope")]
    [InlineData(".A { a 0 : string(2) }", "only an integer takes a precision")]
    [InlineData(".A { a 0 : integer(x) }", "integer(x) needs a decimal precision")]
    [InlineData(".A { a 99999 : integer }", "tag 99999 is out of range")]
    [InlineData(".A {\n\n  a 0 integer }", "syntax error at [=text] line (3)")]
    [InlineData(".A { a 0 : integer", "syntax error")]
    [InlineData("p 1 { request{} }", "a blank expected")]
    public void Bad_schemas_fail_with_sprotoparser_errors(string text, string message) =>
        Assert.Contains(message, Assert.Throws<SprotoException>(() => SprotoSchema.Parse(text)).Message);

    [Fact]
    public void Values_that_do_not_fit_are_named()
    {
        var schema = SprotoSchema.Parse(SprotoVectors.Schema("addressbook.sproto"));
        Assert.Contains("Person.id[0] is not an integer (Is a String)",
            Assert.Throws<SprotoException>(() => schema.Encode("Person", new SprotoObject { ["id"] = "7" })).Message);
        Assert.Contains("Person.id[0] is not an integer (Is a Double)",
            Assert.Throws<SprotoException>(() => schema.Encode("Person", new SprotoObject { ["id"] = 1.5 })).Message);
        Assert.Contains("Data.numbers[2] is null",
            Assert.Throws<SprotoException>(() => schema.Encode("Data", new SprotoObject { ["numbers"] = new object?[] { 1L, null } })).Message);
        Assert.Contains("Data.flag[0] is not a boolean",
            Assert.Throws<SprotoException>(() => schema.Encode("Data", new SprotoObject { ["flag"] = 1 })).Message);
        Assert.Contains("object is too large",
            Assert.Throws<SprotoException>(() => schema.Encode("Person", new SprotoObject { ["data"] = new byte[SprotoPacking.DefaultMaxUnpackedSize] })).Message);
        Assert.Contains("type Nope not found", Assert.Throws<SprotoException>(() => schema.Encode("Nope", null)).Message);
    }

    [Fact]
    public void Clr_values_encode_like_their_lua_counterparts()
    {
        var schema = SprotoSchema.Parse(SprotoVectors.Schema("addressbook.sproto"));
        // ints, whole doubles, enums and arrays of any IEnumerable are integers; maps take dictionaries.
        var a = schema.Encode("Data", new SprotoObject { ["numbers"] = new[] { 1, 2 }, ["number"] = 3.0, ["far"] = DayOfWeek.Friday, ["fpn"] = 1.82m });
        var b = schema.Encode("Data", new SprotoObject { ["numbers"] = new List<object?> { 1L, 2L }, ["number"] = 3L, ["far"] = 5L, ["fpn"] = 1.82 });
        Assert.Equal(b, a);
        var map = schema.Encode("Dict", new SprotoObject { ["dict"] = new Dictionary<string, long> { ["one"] = 1 } });
        var decoded = schema.Decode("Dict", map);
        Assert.Equal(1L, ((Dictionary<object, object?>)decoded["dict"]!)["one"]);
        var book = schema.Decode("AddressBook", schema.Encode("AddressBook", new SprotoObject
        {
            ["person"] = new[] { new SprotoObject { ["id"] = 7L, ["name"] = "x" } },
        }));
        Assert.Equal("x", ((SprotoObject)((Dictionary<object, object?>)book["person"]!)[7L]!)["name"]);
    }
}
