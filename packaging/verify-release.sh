#!/usr/bin/env bash
# Checks the release artifacts as a user would meet them (run by `mvn -B verify -Prelease`, or alone):
#   tarball  extracted somewhere else, run with JAVA_HOME unset and no java on PATH: --version, the start-up
#            archive is used, a baseline audit writes its report
#   .deb     dpkg -i, /usr/bin/tria-ready runs, man page and bash completion in place, dpkg -r leaves nothing
#            (only as root, and only when tria-ready is not installed already)
#   OCI      unpacked layer by layer (packaging/oci.py unpack; also skopeo and umoci when installed), then
#            --version and a baseline audit inside that root file system (chroot, as root)
# usage: verify-release.sh DIST_DIR VERSION
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 DIST_DIR VERSION" >&2; exit 2; }
dist=$(readlink -f "$1") version=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
mounted=""
cleanup() { [ -z "$mounted" ] || umount "$mounted" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
ok() { echo "verify-release: ok   $*"; }
fail() { echo "verify-release: FAIL $*" >&2; exit 1; }
audit_ran() {  # exit code, report file: an audit's verdict (0 ready, 1 not ready) and a report with checks
  [ "$1" -eq 0 ] || [ "$1" -eq 1 ] || return 1
  grep -q '"checks"' "$2" && grep -q '"disk-root-space"' "$2"
}
deb_version=${version//-/\~}

# --- tarball -----------------------------------------------------------------------------------------------
tarball=$dist/tria-ready-$version-linux-x64.tar.gz
[ -f "$tarball" ] || fail "$tarball missing"
mkdir -p "$tmp/elsewhere/deeper" "$tmp/path" "$tmp/home"
tar -xzf "$tarball" -C "$tmp/elsewhere/deeper"
top=$tmp/elsewhere/deeper/tria-ready-$version
for tool in sh readlink dirname; do ln -s "$(command -v $tool)" "$tmp/path/$tool"; done
out=$(env -i PATH="$tmp/path" HOME="$tmp/home" "$top/bin/tria-ready" --version)
grep -q "^tria-ready $version" <<<"$out" || fail "tarball --version said: $out"
grep -q "^Java 2[5-9]\|^Java [3-9][0-9]" <<<"$out" || fail "tarball does not run its bundled Java 25+: $out"
ok "tarball runs with no JDK on PATH and JAVA_HOME unset: $(tr '\n' ' ' <<<"$out")"
aot=$(env -u JAVA_HOME JAVA_OPTS=-Xlog:aot=info HOME="$tmp/home" "$top/bin/tria-ready" --version 2>&1 || true)
grep -q "Opened AOT cache" <<<"$aot" || fail "the start-up archive is not used after extraction elsewhere"
ok "tarball's start-up archive is used from its new place"
rc=0; (cd "$tmp" && env -u JAVA_HOME HOME="$tmp/home" "$top/bin/tria-ready" audit --playbook baseline --no-store -f summary -o "$tmp/tarball.json" >/dev/null) || rc=$?
audit_ran $rc "$tmp/tarball.json" || fail "tarball baseline audit: exit $rc"
ok "tarball baseline audit (exit $rc, report written)"
for f in man/man1/tria-ready-audit.1 completion/tria-ready.bash LICENSE NOTICE THIRD-PARTY-LICENSES.md runtime/legal; do
  [ -e "$top/$f" ] || fail "tarball lacks $f"
done
ok "tarball carries man pages, completion, LICENSE, NOTICE, THIRD-PARTY-LICENSES.md and the runtime's legal/"

# --- .deb ----------------------------------------------------------------------------------------------------
deb=$dist/tria-ready_${deb_version}_amd64.deb
[ -f "$deb" ] || fail "$deb missing"
info=$(dpkg-deb --info "$deb"); grep -q "Package: tria-ready" <<<"$info" || fail "$deb has no control data"
if [ "$(id -u)" != 0 ]; then
  echo "verify-release: skip .deb install (needs root)"
elif dpkg -s tria-ready >/dev/null 2>&1; then
  echo "verify-release: skip .deb install (tria-ready is installed on this machine already)"
else
  dpkg -i "$deb" >/dev/null
  dpkg -L tria-ready > "$tmp/deb-files"
  out=$(env -u JAVA_HOME /usr/bin/tria-ready --version) || { dpkg -r tria-ready >/dev/null; fail "/usr/bin/tria-ready did not run"; }
  grep -q "^tria-ready $version" <<<"$out" || { dpkg -r tria-ready >/dev/null; fail "installed --version said: $out"; }
  [ -f /usr/share/man/man1/tria-ready-audit.1.gz ] && [ -f /usr/share/bash-completion/completions/tria-ready ] \
    || { dpkg -r tria-ready >/dev/null; fail "man page or completion not installed"; }
  rc=0; (cd "$tmp" && HOME="$tmp/home" /usr/bin/tria-ready audit --playbook baseline --no-store -f summary -o "$tmp/deb.json" >/dev/null) || rc=$?
  audit_ran $rc "$tmp/deb.json" || { dpkg -r tria-ready >/dev/null; fail "installed baseline audit: exit $rc"; }
  dpkg -r tria-ready >/dev/null
  left=$(while read -r f; do [ -f "$f" ] || [ -L "$f" ] && echo "$f"; done < "$tmp/deb-files" || true)
  [ -z "$left" ] || fail "dpkg -r left files behind: $left"
  [ ! -e /usr/lib/tria-ready ] || fail "dpkg -r left /usr/lib/tria-ready"
  ok ".deb installs (/usr/bin/tria-ready, man1, bash completion), audits, and removes cleanly"
fi

# --- OCI image ---------------------------------------------------------------------------------------------
oci=$dist/tria-ready-$version-oci.tar
[ -f "$oci" ] || fail "$oci missing"
if command -v skopeo >/dev/null 2>&1; then
  config=$(skopeo inspect --config "oci-archive:$oci") || fail "skopeo cannot read $oci"
  grep -q '"/opt/tria-ready/bin/tria-ready"' <<<"$config" || fail "skopeo reads no tria-ready entrypoint in $oci"
  ok "skopeo reads the image (entrypoint /opt/tria-ready/bin/tria-ready)"
fi
if command -v umoci >/dev/null 2>&1; then
  mkdir -p "$tmp/layout" && tar -xf "$oci" -C "$tmp/layout"
  umoci unpack --image "$tmp/layout:$version" "$tmp/umoci-bundle" >/dev/null || fail "umoci cannot unpack $oci"
  [ -x "$tmp/umoci-bundle/rootfs/opt/tria-ready/runtime/bin/java" ] || fail "umoci's rootfs lacks the runtime"
  ok "umoci unpacks the image"
fi
rootfs=$tmp/rootfs
python3 "$here/oci.py" unpack "$oci" "$rootfs" >/dev/null
if [ "$(id -u)" != 0 ]; then
  echo "verify-release: skip running inside the image (chroot needs root)"
else
  chroot=$(command -v chroot)
  if mount -t proc proc "$rootfs/proc" 2>/dev/null; then mounted=$rootfs/proc; fi
  out=$(env -i PATH=/opt/tria-ready/bin:/bin HOME=/root "$chroot" "$rootfs" /opt/tria-ready/bin/tria-ready --version) || fail "--version failed in the image"
  grep -q "^tria-ready $version" <<<"$out" || fail "image --version said: $out"
  ok "image runs --version: $(tr '\n' ' ' <<<"$out")"
  rc=0
  env -i PATH=/opt/tria-ready/bin:/bin HOME=/root "$chroot" "$rootfs" /bin/sh -c \
    'cd /work && tria-ready audit --playbook baseline --no-store -f summary -o /work/result.json' >/dev/null || rc=$?
  audit_ran $rc "$rootfs/work/result.json" || fail "baseline audit in the image: exit $rc"
  ok "image runs a baseline audit (exit $rc, report written)"
fi
echo "verify-release: all artifacts of $version verified"
