#!/usr/bin/env python3
"""The reference for `npm run bench:pack`: Python's zipfile (native zlib, level 6) zipping a
folder's data/ the way `exhibit pack` does (deflate, files streamed in chunks), without the
bag's hashing. usage: reference_pack.py DIR OUT.zip"""
import os, sys, zipfile

src, out = sys.argv[1], sys.argv[2]
count = 0
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6, allowZip64=True) as z:
    for root, dirs, files in os.walk(os.path.join(src, "data")):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            z.write(path, os.path.relpath(path, src))
            count += 1
print(f"{count} files, {os.path.getsize(out)} bytes")
