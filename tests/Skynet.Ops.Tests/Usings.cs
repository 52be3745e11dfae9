global using Skynet;
global using Skynet.Hotfix;
