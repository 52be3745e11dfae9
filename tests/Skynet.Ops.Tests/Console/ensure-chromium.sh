#!/bin/sh
# Prints the path of a Chromium for the console page test, installing Debian's package when it is missing.
# Needs root and the Debian mirror only when Chromium is absent; prints nothing and exits 1 when it cannot get one.
set -e
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then command -v "$candidate"; exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2
  command -v chromium && exit 0
fi
echo "no Chromium: install Debian's chromium package (apt-get install -y chromium) to run this test" >&2
exit 1
