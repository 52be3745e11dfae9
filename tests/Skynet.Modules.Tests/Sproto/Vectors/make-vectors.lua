-- Computes sproto-vectors.tsv with skynet's own sproto (lualib/sproto.lua, sprotoparser.lua, luaclib/sproto.so).
-- Run from a built skynet tree (see docs/sproto.md): 3rd/lua/lua <this file> <folder of the .sproto files>
local dir = assert(arg[1], "usage: make-vectors.lua <vector folder>")
local sproto = require "sproto"
local parser = require "sprotoparser"
local core = require "sproto.core"

local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end

local function canon(v)
	local t = type(v)
	if t == "table" then
		local items = {}
		for k, val in pairs(v) do items[#items + 1] = canon(k) .. "=" .. canon(val) end
		table.sort(items)
		return "{" .. table.concat(items, ",") .. "}"
	elseif t == "string" then return "x:" .. hex(v)
	elseif t == "boolean" then return tostring(v)
	elseif math.type(v) == "integer" then return "i:" .. string.format("%d", v)
	else return "f:" .. string.format("%016x", string.unpack("<i8", string.pack("<d", v))) end
end

local function read(name)
	local f = assert(io.open(dir .. "/" .. name))
	local text = f:read "a"
	f:close()
	return text
end

local out = {}
local function emit(...) out[#out + 1] = table.concat({ ... }, "\t") end

local schemas = {}
for _, name in ipairs { "wire.sproto", "addressbook.sproto", "c2s.sproto", "s2c.sproto" } do
	local bin = parser.parse(read(name), name)
	emit("schema", name, hex(bin))
	schemas[name] = sproto.new(bin)
end

local function value(file, typename, v)
	local sp = schemas[file]
	local enc = sp:encode(typename, v)
	local dec = sp:decode(typename, enc)
	emit("value", file, typename, canon(dec), hex(enc), hex(core.pack(enc)))
end

-- the README's wire examples
value("wire.sproto", "Person", { name = "Alice", age = 13, marital = false })
value("wire.sproto", "Person", { name = "Bob", age = 40, children = { { name = "Alice", age = 13 }, { name = "Carol", age = 5 } } })
value("wire.sproto", "Data", { numbers = { 1, 2, 3, 4, 5 } })
value("wire.sproto", "Data", { numbers = { (1 << 32) + 1, (1 << 32) + 2, (1 << 32) + 3 } })
value("wire.sproto", "Data", { bools = { false, true, false } })
value("wire.sproto", "Data", { number = 100000, bignumber = -10000000000 })
value("wire.sproto", "Data", { double = 0.01171875, doubles = { 0.01171875, 23, 4 } })
value("wire.sproto", "Data", { fpn = 1.82 })
-- integer boundaries: inline below 0x7fff, 4 bytes to 32 bits, 8 bytes beyond; negatives never inline
for _, n in ipairs { 0, 1, 0x7ffe, 0x7fff, 0x8000, 0x7fffffff, 0x80000000, -1, -0x7fff, -0x80000000, -0x80000001,
		math.maxinteger, math.mininteger } do
	value("wire.sproto", "Data", { number = n })
end
value("wire.sproto", "Data", { numbers = { 1, -1, 0x7fffffff, -0x80000000 } })
value("wire.sproto", "Data", { numbers = { -1, 1 << 40, -2, 3 } })
value("wire.sproto", "Data", { numbers = {}, bools = {}, doubles = {} })
value("wire.sproto", "Data", { doubles = { 1 / 0, -1 / 0, -0.0, 1e300, 5e-324 } })
value("wire.sproto", "Data", { fpn = -3.14159, double = -2.5 })
value("wire.sproto", "Person", { children = { {}, { children = { { name = "" } } } } })
value("wire.sproto", "Person", {})

local ab = "addressbook.sproto"
value(ab, "Person", { name = "Alice", id = 10000, phone = { { number = "123456789", type = 1 }, { number = "87654321", type = 2 } },
	height = 1.82, data = "\0\1\2\255\0", weight = 62.5, email = "h\195\169llo \228\184\150\231\149\140" })
value(ab, "AddressBook", { person = { [10000] = { name = "Alice", id = 10000 } } })
value(ab, "AddressBook", { person = { [1] = { name = "A", id = 1 }, [2] = { name = "B", id = 2 }, [3] = { name = "C", id = 3 } },
	others = { { name = "D", id = -5 } } })
value(ab, "Data", { fpns = { 1.0005, -2.25, 0.001, 123456.789 }, strings = { "a", "", "ccc" }, blobs = { "\0\0\0", "\255" },
	flag = true, far = 7 })
value(ab, "Data", { far = 1 << 50, number = 3 })
value(ab, "Dict", { dict = { one = 1 } })
value(ab, "Dict", { dict = { one = 1, two = 2, three = 3 }, idict = { [1] = "x", [100000] = "y", [-3] = "z" } })
value(ab, "Tree", { name = "root", children = { { name = "a", children = { { name = "a1" } } }, { name = "b" } },
	parent = { name = "up", parent = { name = "upup" } } })
value(ab, "foobar.response", { ok = true })
value(ab, "conf.request", { x = 42 })

-- 0 packing, including the README's examples, raw runs (6+ non-zero bytes), 256-word run limits and odd tails
local function pack(raw) emit("pack", hex(raw), hex(core.pack(raw))) end
pack(string.char(0x08, 0, 0, 0, 0x03, 0, 0x02, 0, 0x19, 0, 0, 0, 0xaa, 0x01, 0, 0))
pack(string.rep("\138", 30))
pack("")
pack("\1")
pack(string.rep("\0", 17))
pack("\1\2\3\4\5\6\0\0" .. "\1\2\3\4\5\6\7\0" .. "\1\0\0\0\0\0\0\0")
pack("\1\2\3\4\5\6\7\8" .. "\1\2\3\4\5\6\0\0" .. "\1\2\3\4\5\6\7\8")
pack(string.rep("\1\2\3\4\5\6\7\8", 256))
pack(string.rep("\1\2\3\4\5\6\7\8", 257) .. "\1")
pack(string.rep("\1\2\3\4\5\6\7\8", 600) .. "\0\1")
local seed = 12345
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n end
for len = 1, 40 do
	local t = {}
	for i = 1, len * 7 do t[i] = string.char(rnd(3) == 0 and 0 or rnd(256)) end
	pack(table.concat(t))
end

-- the RPC host: skynet's examples/client.lua against examples/agent.lua
local c2s, s2c = schemas["c2s.sproto"], schemas["s2c.sproto"]
local client = s2c:host "package"
local request = client:attach(c2s)
local server = c2s:host "package"
local push = server:attach(s2c)
local function rpc(name, bin) emit("rpc", name, hex(bin)) return bin end
local r1 = rpc("request handshake 1", request("handshake", nil, 1))
local r2 = rpc("request set 2", request("set", { what = "hello", value = "world" }, 2))
local r3 = rpc("request get 3", request("get", { what = "hello" }, 3))
local r4 = rpc("request quit 4", request("quit", nil, 4))
rpc("request set nosession", request("set", { what = "a", value = "b" }))
local _, _, _, resp1 = server:dispatch(r1)
local a1 = rpc("response handshake 1", resp1 { msg = "Welcome to skynet, I will send heartbeat every 5 sec." })
local _, _, _, resp2 = server:dispatch(r2)
local a2 = rpc("response set 2", resp2(nil))
local _, _, _, resp3 = server:dispatch(r3)
local a3 = rpc("response get 3", resp3 { result = "world" })
local _, _, _, resp4 = server:dispatch(r4)
rpc("response quit 4", resp4())
rpc("push heartbeat", push("heartbeat"))
for _, bin in ipairs { a1, a2, a3 } do
	local t, session, args = client:dispatch(bin)
	emit("dispatch", t, tostring(session), canon(args or {}))
end

local f = assert(io.open(dir .. "/sproto-vectors.tsv", "w"))
f:write(table.concat(out, "\n"), "\n")
f:close()
print(#out .. " vectors")
