#!/bin/sh
# debian-trial.sh -- tries courtdocs on a fresh minimal Debian 12, as a new
# user would, in chroots made with debootstrap (run as root; slow: minutes,
# mostly downloads, so it is not part of make check).
#
#   sh scripts/debian-trial.sh readme   the README's two set-up commands
#                                       (sh scripts/setup.sh demo; make check)
#                                       on a copy of the committed tree (HEAD)
#   sh scripts/debian-trial.sh deb      dpkg-buildpackage -b -us -uc here, then
#                                       apt install the .deb in a fresh chroot
#                                       and run courtdocs demo from /
#
# Each command's output goes to $WORK/NAME.out and its exit status and
# seconds are printed. WORK (default /tmp/courtdocs-trial) keeps a pristine
# `debootstrap --variant=minbase bookworm` base to copy for each trial, made
# from the first deb.debian.org-style mirror in /etc/apt/sources.list*.
set -eu
cd "$(dirname "$0")/.."
TREE=$(pwd)
WORK=${WORK:-/tmp/courtdocs-trial}
mode=${1:-readme}
[ "$(id -u)" = 0 ] || { echo "debian-trial: run as root (debootstrap and chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || apt-get install -y debootstrap
mkdir -p "$WORK"
if [ ! -x "$WORK/base/bin/sh" ]; then
  mirror=$(grep -rhoE '(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
           grep -v security | head -n 1 | awk '{print $2}')
  echo "debian-trial: debootstrap --variant=minbase bookworm from ${mirror:-http://deb.debian.org/debian}"
  debootstrap --variant=minbase bookworm "$WORK/base" "${mirror:-http://deb.debian.org/debian}" >"$WORK/debootstrap.out" 2>&1
fi

C="$WORK/chroot"
unmount() { for m in dev/pts dev proc sys; do umount "$C/$m" 2>/dev/null || true; done; }
fresh() {
  unmount
  rm -rf "$C"
  cp -a "$WORK/base" "$C"
  mount -t proc proc "$C/proc"; mount --bind /dev "$C/dev"; mount --bind /dev/pts "$C/dev/pts"
  mount -t sysfs sys "$C/sys"
  cp /etc/resolv.conf "$C/etc/resolv.conf"
}
trap unmount EXIT
# run NAME COMMAND: runs COMMAND in the chroot as root with a clean login-like
# environment; prints its exit status and seconds.
run() {
  start=$(date +%s)
  set +e
  chroot "$C" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin sh -c "$2" >"$WORK/$1.out" 2>&1
  rc=$?
  set -e
  echo "debian-trial: $1: exit $rc after $(( $(date +%s) - start )) s (output in $WORK/$1.out)"
}

case $mode in
readme)
  fresh
  mkdir -p "$C/root/courtdocs"
  git -C "$TREE" archive HEAD | tar -x -C "$C/root/courtdocs"
  run setup "cd /root/courtdocs && sh scripts/setup.sh demo"
  run check "cd /root/courtdocs && make check"
  ;;
deb)
  rm -rf "$WORK/pkg" && mkdir -p "$WORK/pkg/courtdocs"
  git -C "$TREE" archive HEAD | tar -x -C "$WORK/pkg/courtdocs"
  start=$(date +%s)
  (cd "$WORK/pkg/courtdocs" && dpkg-buildpackage -b -us -uc) >"$WORK/dpkg-buildpackage.out" 2>&1 ||
    { echo "debian-trial: dpkg-buildpackage failed (see $WORK/dpkg-buildpackage.out)"; exit 1; }
  echo "debian-trial: dpkg-buildpackage: done after $(( $(date +%s) - start )) s"
  deb=$(ls "$WORK"/pkg/courtdocs_*_*.deb | head -n 1)
  fresh
  cp "$deb" "$C/root/"
  run deb-install "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y /root/$(basename "$deb")"
  run deb-demo "cd / && courtdocs --version && courtdocs demo --out /tmp/demo && ls /tmp/demo && test -f /usr/share/man/man1/courtdocs.1.gz"
  run deb-remove "apt-get remove -y courtdocs && ! test -e /usr/bin/courtdocs && ! test -e /usr/share/courtdocs"
  ;;
*)
  echo "usage: sh scripts/debian-trial.sh readme|deb" >&2; exit 2 ;;
esac
