#!/bin/sh
# setup.sh -- the first command on a fresh Debian 12, where make itself may be
# missing: installs every Debian package courtdocs needs to build and test
# (make and the C compiler included; scripts/deps.sh), then runs make with
# the given targets (default: demo, which builds and renders the sample
# documents into demo-out/). As root it installs; as another user it prints
# the exact apt-get command to run as root and stops.
#   sh scripts/setup.sh            build and render the demo
#   sh scripts/setup.sh check      build and run the test suite
set -e
cd "$(dirname "$0")/.."
sh scripts/deps.sh
[ $# -gt 0 ] || set -- demo
exec make "$@"
