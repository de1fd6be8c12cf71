#!/usr/bin/env python3
"""The reference: stream every entry of a zip through Python's zipfile (native zlib, CRC
checked) into hashlib.sha256 (OpenSSL). Prints the number of entries and bytes."""
import hashlib, sys, zipfile

entries = total = 0
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        h = hashlib.sha256()
        with z.open(info) as fh:
            while True:
                b = fh.read(4 * 1024 * 1024)
                if not b:
                    break
                h.update(b); total += len(b)
        entries += 1
print(f"{entries} entries, {total} bytes")
