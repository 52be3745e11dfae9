#!/usr/bin/env bash
# Packs Skynet.Runtime (generator and analyzers inside), Skynet.Testing and Skynet.Templates into a local feed
# folder, all with one fresh prerelease version (0.1.0-local.<UTC time>), so NuGet's cache never serves an older
# package of the same version. The templates remember the feed: projects made from them restore from it.
#
#   templates/pack-local.sh [--install] [--feed DIR] [--configuration Release|Debug] [--no-build]
#
#   --install        also install the templates (dotnet new install), replacing an older local install
#   --feed DIR       the feed folder (default: $SKYNET_FEED, else ~/.skynet/packages)
#   --no-build       pack what the last build of that configuration produced
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
feed="${SKYNET_FEED:-$HOME/.skynet/packages}"
configuration=Release
install=false
build_args=(-p:ContinuousIntegrationBuild=true)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --install) install=true ;;
    --feed) feed="$2"; shift ;;
    --configuration|-c) configuration="$2"; shift ;;
    --no-build) build_args=(--no-build) ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

mkdir -p "$feed"
feed="$(cd "$feed" && pwd)"
suffix="local.$(date -u +%Y%m%d%H%M%S)"
for project in Skynet.Runtime/Skynet.Runtime.csproj Skynet.Testing/Skynet.Testing.csproj templates/Skynet.Templates/Skynet.Templates.csproj; do
  dotnet pack "$repo/$project" -c "$configuration" -o "$feed" --nologo -v quiet "${build_args[@]}" \
    -p:VersionSuffix="$suffix" -p:SkynetFeed="$feed"
done

templates="$(ls "$feed"/Skynet.Templates.*-"$suffix".nupkg)"
echo "Packed version 0.1.0-$suffix into $feed"
if $install; then
  dotnet new install "$templates" --force
else
  echo "Install the templates with: dotnet new install $templates"
fi
