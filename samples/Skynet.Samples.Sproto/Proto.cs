using Skynet.Sproto;

namespace Skynet.Samples.Sproto;

/// <summary>skynet's <c>examples/proto.lua</c>: the client-to-server and server-to-client schemas, text unchanged.</summary>
public static class Proto
{
    /// <summary>Requests the client sends.</summary>
    public static readonly SprotoSchema C2S = SprotoSchema.Parse("""
        .package {
        	type 0 : integer
        	session 1 : integer
        }

        handshake 1 {
        	response {
        		msg 0  : string
        	}
        }

        get 2 {
        	request {
        		what 0 : string
        	}
        	response {
        		result 0 : string
        	}
        }

        set 3 {
        	request {
        		what 0 : string
        		value 1 : string
        	}
        }

        quit 4 {}

        """, "c2s");

    /// <summary>Requests the server pushes.</summary>
    public static readonly SprotoSchema S2C = SprotoSchema.Parse("""
        .package {
        	type 0 : integer
        	session 1 : integer
        }

        heartbeat 1 {}
        """, "s2c");
}
