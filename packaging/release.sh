#!/usr/bin/env bash
# Makes tria-ready's release artifacts from the packaged jar (run by `mvn -B package -Prelease -DskipTests`):
#   DIST/tria-ready-VERSION-linux-x64.tar.gz  a self-contained directory: a jlink runtime, the launcher,
#                                             the start-up archive trained for that runtime, man pages, completion
#   DIST/tria-ready_VERSION_amd64.deb         /usr/bin/tria-ready, the same tree under /usr/lib/tria-ready,
#                                             man pages in man1, bash completion
#   DIST/tria-ready-VERSION-oci.tar           an OCI image layout (packaging/oci.py), no Docker daemon, no registry
# usage: release.sh VERSION JAR DIST_DIR WORK_DIR
# TRIA_READY_RELEASE_JDK picks the JDK whose jlink makes the runtime; default: the newest JDK under
# /usr/lib/jvm (the runtime is as new as the newest JDK we have: docs/decisions.md, "Release artifacts").
set -euo pipefail
say() { echo "tria-ready release: $*"; }
die() { echo "tria-ready release: $*" >&2; exit 1; }
[ $# -eq 4 ] || die "usage: $0 VERSION JAR DIST_DIR WORK_DIR"
version=$1 jar=$(readlink -f "$2") dist=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ -f "$jar" ] || die "$jar not found: run mvn package first"

feature() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null; }
jdk=${TRIA_READY_RELEASE_JDK:-}
if [ -z "$jdk" ]; then
  best=0
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/jlink" ] && [ -x "$d/bin/jdeps" ] || continue
    f=$(feature "$d"); [ -n "$f" ] || continue
    if [ "$f" -gt "$best" ]; then best=$f; jdk=$d; fi
  done
fi
[ -n "$jdk" ] && [ -x "$jdk/bin/jlink" ] || die "no JDK with jlink found (set TRIA_READY_RELEASE_JDK)"
jdk_feature=$(feature "$jdk")
say "runtime from $jdk (JDK $jdk_feature)"

name=tria-ready-$version
rm -rf "$work" && mkdir -p "$work" "$dist"
stage=$work/$name
mkdir -p "$stage"/{bin,lib,man/man1,completion}

# --- the runtime: the modules the jar needs, as jdeps reads them, plus jdk.unsupported (sun.misc.Unsafe,
# used reflectively by okio and MINA) and jdk.crypto.ec (the EC key exchanges on JDK 17-21) --------------
modules=$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release "$jdk_feature" "$jar")
modules="$modules,jdk.unsupported,jdk.crypto.ec,jdk.charsets"
compress=--compress=zip-6; [ "$jdk_feature" -ge 21 ] || compress=--compress=2
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files "$compress" \
  --output "$stage/runtime"
say "runtime: $modules"

cp "$jar" "$stage/lib/tria-ready.jar"
cat > "$stage/bin/tria-ready" <<'EOF'
#!/bin/sh
# tria-ready launcher: the bundled Java runtime, start-up friendly JVM flags (docs/decisions.md), and
# the start-up archive trained for that runtime. JAVA_HOME is not used: the runtime is part of the release.
# JAVA_OPTS adds flags; TRIA_READY_NO_CDS=1 runs without the archive.
here=$(dirname "$(readlink -f "$0")")
top=$(dirname "$here")
archive=""
if [ -z "${TRIA_READY_NO_CDS:-}" ] && [ -f "$top/lib/tria-ready.aot" ]; then
  archive="-XX:AOTCache=$top/lib/tria-ready.aot"
fi
# shellcheck disable=SC2086
exec "$top/runtime/bin/java" -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:CompileThresholdScaling=2 \
  -XX:+UseSerialGC -Xss1m -XX:-UsePerfData $archive '-Xlog:aot*=off' '-Xlog:cds*=off' ${JAVA_OPTS:-} \
  -jar "$top/lib/tria-ready.jar" "$@"
EOF
chmod 755 "$stage/bin/tria-ready"
[ "$jdk_feature" -ge 25 ] || sed -i 's/-XX:AOTCache=/-XX:SharedArchiveFile=/; s/tria-ready\.aot/tria-ready.jsa/g' "$stage/bin/tria-ready"

"$stage/runtime/bin/java" -cp "$stage/lib/tria-ready.jar" io.triaready.cli.ManPages "$stage/man/man1"
"$stage/bin/tria-ready" completion bash > "$stage/completion/tria-ready.bash"
cp "$root/LICENSE" "$root/THIRD-PARTY-LICENSES.md" "$root/README.md" "$stage/"
unzip -p "$jar" META-INF/NOTICE > "$stage/NOTICE"   # ours, merged with every bundled library's NOTICE

# The start-up archive, made by the bundled runtime itself from the same training run as `mvn package`.
bash "$root/app/src/cds/train.sh" "$stage/runtime" "$stage/lib/tria-ready.jar" "$work/cds"
for a in aot jsa; do
  if [ -f "$work/cds/tria-ready.$a" ]; then mv "$work/cds/tria-ready.$a" "$stage/lib/"; fi
done
say "version: $("$stage/bin/tria-ready" --version | head -n 1)"

# --- the tarball --------------------------------------------------------------------------------------
deterministic=(--sort=name --owner=0 --group=0 --numeric-owner --mtime=@0)
tarball=$dist/$name-linux-x64.tar.gz
tar "${deterministic[@]}" -C "$work" -cf - "$name" | gzip -n -9 > "$tarball"
say "$tarball ($(du -h "$tarball" | cut -f1))"

# --- the .deb --------------------------------------------------------------------------------------------
deb_version=${version//-/\~}           # 0.1.0-SNAPSHOT sorts before 0.1.0 as 0.1.0~SNAPSHOT
pkg=$work/deb
mkdir -p "$pkg/DEBIAN" "$pkg/usr/lib/tria-ready" "$pkg/usr/bin" "$pkg/usr/share/man/man1" \
  "$pkg/usr/share/bash-completion/completions" "$pkg/usr/share/doc/tria-ready"
cp -a "$stage/bin" "$stage/lib" "$stage/runtime" "$pkg/usr/lib/tria-ready/"
ln -s ../lib/tria-ready/bin/tria-ready "$pkg/usr/bin/tria-ready"
for m in "$stage"/man/man1/*.1; do gzip -n -9 -c "$m" > "$pkg/usr/share/man/man1/$(basename "$m").gz"; done
cp "$stage/completion/tria-ready.bash" "$pkg/usr/share/bash-completion/completions/tria-ready"
{ echo "tria-ready: Apache-2.0 (below). Bundled libraries and the Java runtime: see THIRD-PARTY-LICENSES.md and NOTICE here,"
  echo "and /usr/lib/tria-ready/runtime/legal/."; echo; cat "$root/LICENSE"; } > "$pkg/usr/share/doc/tria-ready/copyright"
cp "$stage/NOTICE" "$stage/THIRD-PARTY-LICENSES.md" "$pkg/usr/share/doc/tria-ready/"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<EOF
Package: tria-ready
Version: $deb_version
Architecture: amd64
Maintainer: tria-ready authors <tria-ready@localhost>
Installed-Size: $size
Depends: libc6 (>= 2.34)
Section: admin
Priority: optional
Homepage: https://github.com/tria-ready/tria-ready
Description: production-readiness auditor
 Runs a YAML playbook of phased checks (P0-P2) against a target over SSH,
 HTTP, PostgreSQL and Redis, and prints a scored readiness report (text,
 JSON, JUnit, Markdown, HTML, Prometheus). Bundles its own Java runtime.
EOF
deb=$dist/tria-ready_${deb_version}_amd64.deb
find "$pkg" -exec touch -h -d @0 {} +
dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$deb" >/dev/null
say "$deb ($(du -h "$deb" | cut -f1))"

# --- the OCI image -----------------------------------------------------------------------------------------
python3 "$here/oci.py" "$stage" "$version" "$work/oci" "$dist/$name-oci.tar"
say "$dist/$name-oci.tar ($(du -h "$dist/$name-oci.tar" | cut -f1))"
