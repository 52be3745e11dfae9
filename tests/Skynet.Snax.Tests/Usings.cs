global using Skynet;
global using Skynet.Codecs;
