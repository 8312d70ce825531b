#!/usr/bin/env python3
"""Lets TorchSharp 0.107's libLibTorchSharp.so load where the system libstdc++ predates GLIBCXX_3.4.32 (Debian 12).

The library asks for GLIBCXX_3.4.32 for one symbol only, std::ios_base_library_init(), a marker GCC 13's
<iostream> emits that no relocation uses. Marking that one version requirement weak (VER_FLG_WEAK on its
vernaux entry in .gnu.version_r) turns the loader's hard failure into nothing. Decision 0010.

usage: torchsharp-load-fix.py [--always] LIBRARY...   (files that do not exist are skipped)
Idempotent; does nothing where the system libstdc++ has the version, unless --always (a library built here for a
Debian 12 container image). A patched file *replaces* the original
(write a copy, rename over it) because bin folders hard-link package files from the NuGet cache.
"""
import os
import struct
import subprocess
import sys

VERSION = b"GLIBCXX_3.4.32"
SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def system_libstdcxx():
    try:
        out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            if "libstdc++.so.6 " in line and "x86-64" in line:
                return line.split("=>")[-1].strip()
    except OSError:
        pass
    for p in ("/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6"):
        if os.path.exists(p):
            return p
    return None


def system_has_version():
    path = system_libstdcxx()
    if path is None:
        return False
    with open(path, "rb") as f:
        return VERSION + b"\0" in f.read()


def weak_offsets(data):
    """File offsets of the vna_flags fields naming VERSION that are not weak yet."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    found = []
    for _name, sh_type, _flags, _addr, offset, _size, link, info, _align, _entsize in sections:
        if sh_type != SHT_GNU_VERNEED:
            continue
        strtab = sections[link][4]
        vn = offset
        for _ in range(info):
            _version, cnt, _file, aux, nxt = struct.unpack_from("<HHIII", data, vn)
            vna = vn + aux
            for _ in range(cnt):
                _hash, flags, _other, name, vna_next = struct.unpack_from("<IHHII", data, vna)
                start = strtab + name
                if data[start:data.index(b"\0", start)] == VERSION and not flags & VER_FLG_WEAK:
                    found.append(vna + 4)
                vna += vna_next
            vn += nxt
    return found


def patch(path):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    offsets = weak_offsets(data)
    if not offsets:
        return False
    for off in offsets:
        flags, = struct.unpack_from("<H", data, off)
        struct.pack_into("<H", data, off, flags | VER_FLG_WEAK)
    st = os.stat(path)
    tmp = path + ".load-fix.tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.chmod(tmp, st.st_mode)
    # Same size and time as the package's file, so MSBuild's incremental copy leaves the patched file alone.
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, path)
    return True


def main(args):
    always = "--always" in args
    paths = [a for a in args if a != "--always"]
    if not always and system_has_version():
        return 0
    for path in paths:
        if os.path.exists(path) and patch(path):
            print(f"torchsharp-load-fix: {VERSION.decode()} marked weak in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
