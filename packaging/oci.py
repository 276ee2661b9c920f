#!/usr/bin/env python3
"""Builds tria-ready's OCI image layout without a Docker daemon and without a registry.

    oci.py build STAGE VERSION WORK OUT.tar   the image: STAGE (the release tree) under /opt/tria-ready,
                                              BusyBox for /bin/sh, and the C library files the Java runtime
                                              links against, copied from this (Debian) machine
    oci.py unpack LAYOUT.tar ROOTFS           what a runtime does: index -> manifest -> layers, in order

One layer, written deterministically (sorted names, mtime 0, uid/gid 0), so the same inputs give the
same digests. The image spec: https://github.com/opencontainers/image-spec (image-layout, manifest,
config). `skopeo inspect oci-archive:OUT.tar` and `umoci unpack` read the result (packaging/verify-release.sh).
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile

# Native libraries of the runtime that only AWT, sound or the splash screen load (java.desktop is in the
# runtime for java.beans); their X11/ALSA dependencies stay out of the image.
DESKTOP_ONLY = ("libawt_xawt.so", "libsplashscreen.so", "libjsound.so", "libawt_headless.so")


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def ldd(path):
    out = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
    libs = []
    for line in out.splitlines():
        parts = line.split()
        if "=>" in parts:
            target = parts[parts.index("=>") + 1]
            if target.startswith("/"):
                libs.append(target)
        elif parts and parts[0].startswith("/"):
            libs.append(parts[0])  # the dynamic loader
    return libs


def copy_into(rootfs, host_path):
    """Copies a host file to the same path in rootfs, following symlinks (the image has no /usr merge)."""
    dest = os.path.join(rootfs, host_path.lstrip("/"))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copy2(os.path.realpath(host_path), dest)


def build_rootfs(stage, rootfs):
    shutil.copytree(stage, os.path.join(rootfs, "opt/tria-ready"), symlinks=True)
    runtime = os.path.join(rootfs, "opt/tria-ready/runtime")
    elves = [os.path.join(runtime, "bin/java")]
    for d, _, files in os.walk(os.path.join(runtime, "lib")):
        elves += [os.path.join(d, f) for f in files if f.endswith(".so") and f not in DESKTOP_ONLY]
    needed = set()
    for e in elves:
        needed.update(lib for lib in ldd(e) if not lib.startswith(runtime))
    for lib in sorted(needed):
        copy_into(rootfs, lib)
    # the loader the java binary names as its interpreter
    copy_into(rootfs, "/lib64/ld-linux-x86-64.so.2")

    busybox = "/bin/busybox"
    if not os.path.exists(busybox):
        sys.exit("oci.py: /bin/busybox not found (apt-get install busybox-static): the image needs a /bin/sh")
    copy_into(rootfs, busybox)
    applets = subprocess.run([busybox, "--list"], capture_output=True, text=True, check=True).stdout.split()
    for a in applets:
        link = os.path.join(rootfs, "bin", a)
        if a != "busybox" and not os.path.exists(link):
            os.symlink("busybox", link)
    os.makedirs(os.path.join(rootfs, "usr/bin"), exist_ok=True)
    os.symlink("/bin/env", os.path.join(rootfs, "usr/bin/env"))

    etc = os.path.join(rootfs, "etc")
    os.makedirs(etc, exist_ok=True)
    with open(os.path.join(etc, "passwd"), "w") as f:
        f.write("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
    with open(os.path.join(etc, "group"), "w") as f:
        f.write("root:x:0:\nnogroup:x:65534:\n")
    with open(os.path.join(etc, "nsswitch.conf"), "w") as f:
        f.write("passwd: files\ngroup: files\nhosts: files dns\n")
    with open(os.path.join(etc, "hosts"), "w") as f:
        f.write("127.0.0.1 localhost\n::1 localhost\n")
    for d, mode in (("tmp", 0o1777), ("root", 0o700), ("work", 0o755), ("proc", 0o555), ("dev", 0o755), ("sys", 0o555)):
        os.makedirs(os.path.join(rootfs, d), exist_ok=True)
        os.chmod(os.path.join(rootfs, d), mode)
    docs = os.path.join(rootfs, "usr/share/doc")
    for pkg in ("libc6", "busybox-static"):
        src = f"/usr/share/doc/{pkg}/copyright"
        if os.path.exists(src):
            os.makedirs(os.path.join(docs, pkg), exist_ok=True)
            shutil.copy2(src, os.path.join(docs, pkg, "copyright"))


def layer_tar(rootfs):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        paths = []
        for d, dirs, files in os.walk(rootfs):
            dirs.sort()
            for n in sorted(dirs + files):
                paths.append(os.path.join(d, n))
        for p in sorted(paths, key=lambda p: os.path.relpath(p, rootfs)):
            info = tar.gettarinfo(p, arcname=os.path.relpath(p, rootfs))
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mtime = 0
            if info.isfile():
                with open(p, "rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)
    return buf.getvalue()


def build(stage, version, work, out):
    rootfs = os.path.join(work, "rootfs")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(rootfs)
    build_rootfs(stage, rootfs)
    layer = layer_tar(rootfs)
    layer_gz = gzip.compress(layer, compresslevel=9, mtime=0)
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {
            "Entrypoint": ["/opt/tria-ready/bin/tria-ready"],
            "Cmd": ["--help"],
            "Env": ["PATH=/opt/tria-ready/bin:/bin", "HOME=/root", "LANG=C.UTF-8"],
            "WorkingDir": "/work",
            "Labels": {"org.opencontainers.image.title": "tria-ready", "org.opencontainers.image.version": version,
                       "org.opencontainers.image.licenses": "Apache-2.0"},
        },
        "rootfs": {"type": "layers", "diff_ids": [sha256(layer)]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "packaging/oci.py: tria-ready " + version}],
    }
    config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256(config_bytes), "size": len(config_bytes)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": sha256(layer_gz), "size": len(layer_gz)}],
    }
    manifest_bytes = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha256(manifest_bytes),
                       "size": len(manifest_bytes), "platform": {"architecture": "amd64", "os": "linux"},
                       "annotations": {"org.opencontainers.image.ref.name": version}}],
    }
    blobs = {sha256(b): b for b in (config_bytes, manifest_bytes, layer_gz)}
    entries = [("oci-layout", json.dumps({"imageLayoutVersion": "1.0.0"}).encode()),
               ("index.json", json.dumps(index, sort_keys=True, separators=(",", ":")).encode())]
    entries += [("blobs/sha256/" + d.split(":")[1], b) for d, b in sorted(blobs.items())]
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for d in ("blobs", "blobs/sha256"):
            info = tarfile.TarInfo(d)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 0
            tar.addfile(info)
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))


def unpack(layout_tar, rootfs):
    with tarfile.open(layout_tar) as t:
        def blob(digest):
            return t.extractfile("blobs/sha256/" + digest.split(":")[1]).read()
        index = json.loads(t.extractfile("index.json").read())
        manifest = json.loads(blob(index["manifests"][0]["digest"]))
        config = json.loads(blob(manifest["config"]["digest"]))
        os.makedirs(rootfs, exist_ok=True)
        for layer in manifest["layers"]:
            data = blob(layer["digest"])
            if sha256(data) != layer["digest"]:
                sys.exit("oci.py: layer digest mismatch")
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as lt:
                # our own image: keep modes (the sticky /tmp) and absolute symlinks as built
                extra = {"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}
                lt.extractall(rootfs, numeric_owner=True, **extra)
    print(json.dumps(config["config"]["Entrypoint"]))


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "build":
        build(*sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] != "unpack":
        build(*sys.argv[1:])
    elif len(sys.argv) == 4 and sys.argv[1] == "unpack":
        unpack(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
