#!/usr/bin/env bash
# Builds a Debian 12 (bookworm) root file system like the debian:bookworm-slim image, from the Debian package
# mirror alone, and imports it into Podman as IMAGE: the images' base where no registry can be reached.
# usage: build/images/base-rootfs.sh IMAGE [MIRROR]   (run as root; needs debootstrap and podman)
set -Eeuo pipefail
image="${1:?usage: base-rootfs.sh IMAGE [MIRROR]}"
mirror="${2:-http://deb.debian.org/debian}"
root="$(mktemp -d /var/tmp/hpsearch-rootfs.XXXXXX)"
trap 'rm -rf "$root"' EXIT

debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 ||
  { tail -n 20 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"

# What the slim image does: no documentation, manuals or translations, now or from later apt-get installs,
# and no package lists or downloaded .debs left in a layer.
cat >"$root/etc/dpkg/dpkg.cfg.d/hpsearch-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
cat >"$root/etc/apt/apt.conf.d/hpsearch-clean" <<'CFG'
APT::Install-Recommends "false";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
CFG
find "$root/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root/usr/share/man/"* "$root/usr/share/info/"*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"* "$root/var/log/"*.log "$root/var/log/apt/"* \
  "$root/tmp/"* "$root/var/cache/debconf/"*-old
: >"$root/etc/machine-id"

tar --numeric-owner -C "$root" -c . |
  podman import --change 'CMD ["bash"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --quiet --message "debootstrap --variant=minbase bookworm ($mirror)" - "$image" >/dev/null
