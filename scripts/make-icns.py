"""Writes icons/icon.icns (the macOS bundle's icon) from the PNG icons already in icons/, with
the standard library only: an ICNS file is a header and one chunk per size, each chunk a PNG.

    python3 scripts/make-icns.py      # run from anywhere; rewrites icons/icon.icns
"""

import struct
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "icons"
# ICNS chunk type -> the PNG holding that many pixels (the @2x types are retina sizes).
CHUNKS = [
    ("ic11", "32x32.png"),  # 16x16@2x
    ("ic07", "128x128.png"),  # 128x128
    ("ic13", "128x128@2x.png"),  # 128x128@2x
    ("ic08", "128x128@2x.png"),  # 256x256
    ("ic09", "icon.png"),  # 512x512
]


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def main():
    expected = {"ic11": 32, "ic07": 128, "ic13": 256, "ic08": 256, "ic09": 512}
    body = b""
    for kind, name in CHUNKS:
        data = (ICONS / name).read_bytes()
        width, height = png_size(data)
        assert width == height == expected[kind], f"{name} is {width}x{height}, {kind} needs {expected[kind]}"
        body += kind.encode() + struct.pack(">I", 8 + len(data)) + data
    (ICONS / "icon.icns").write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)
    print(f"wrote {ICONS / 'icon.icns'} ({8 + len(body)} bytes, {len(CHUNKS)} sizes)")


if __name__ == "__main__":
    main()
