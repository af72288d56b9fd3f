#!/usr/bin/env bash
# Builds Hashiya's .deb with cargo-deb, installs it with dpkg on this machine, then runs the
# installed binary as a user would: `hashiya --version`, and a screenshot of a sample article
# under Xvfb, whose PNG is checked. Needs root (or sudo) for dpkg. Run from anywhere:
#   bash packaging/test-deb.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

command -v cargo-deb >/dev/null || cargo install cargo-deb --locked
# cargo deb builds the release binary and prints the package's path last.
deb=$(cargo deb --locked | tail -n 1)
[ -f "$deb" ] || { echo "no package built ($deb)" >&2; exit 1; }
echo "package: $deb ($(du -h "$deb" | cut -f1))"

$SUDO dpkg -i "$deb"
dpkg -s hashiya | grep -E '^(Version|Depends):'
for f in /usr/bin/hashiya /usr/share/applications/hashiya.desktop \
         /usr/share/icons/hicolor/scalable/apps/hashiya.svg \
         /usr/share/icons/hicolor/256x256/apps/hashiya.png \
         /usr/share/doc/hashiya/FONTS-LICENSE /usr/share/doc/hashiya/copyright; do
  [ -f "$f" ] || { echo "missing from the package: $f" >&2; exit 1; }
done
grep -q '^Name\[ar\]=حاشية$' /usr/share/applications/hashiya.desktop
grep -q 'SIL Open Font License' /usr/share/doc/hashiya/FONTS-LICENSE
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate /usr/share/applications/hashiya.desktop
fi

version=$(/usr/bin/hashiya --version)
echo "installed: $version"
[ "$version" = "hashiya $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)" ]

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cp samples/society/flood_relief_campaign.txt "$out/"
# HOME in the temporary folder: a fresh user, whose settings we do not touch.
HOME="$out" xvfb-run -a /usr/bin/hashiya "$out/flood_relief_campaign.txt" \
  --annotator tester --screenshot "$out/shot.png"
python3 - "$out/shot.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
width, height, depth, colour = struct.unpack('>IIBB', data[16:26])
assert width >= 800 and height >= 600, (width, height)
pos, idat = 8, b''
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    if kind == b'IDAT':
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
bpp = {2: 3, 6: 4}[colour]
stride = width * bpp
prev = bytearray(stride)
colours = set()
for y in range(height):
    kind = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if kind == 1:
            line[i] = (line[i] + a) & 255
        elif kind == 2:
            line[i] = (line[i] + b) & 255
        elif kind == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp))
    prev = line
# A window showing shaped text, highlights and colour emoji has thousands of colours; an empty or
# black window a handful.
assert len(colours) > 500, f'only {len(colours)} colours: an empty window?'
print(f'screenshot: {width}x{height}, {len(colours)} colours')
PY
echo "ok: the installed hashiya runs"
