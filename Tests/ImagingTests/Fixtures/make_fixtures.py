#!/usr/bin/env python3
"""Generates the image fixtures of ImagingTests.

Requires Pillow and simplejpeg (for 4:4:0 and 4:1:1 chroma sampling, which Pillow cannot
write): `pip install pillow simplejpeg numpy`. Run from anywhere; files land next to this
script. Output is deterministic for a given Pillow/libjpeg-turbo version.

Raw dumps (`.rgb` = 8-bit RGB, `.gray` = 8-bit grey, rows top to bottom) are what Pillow
decodes, so the Swift tests can compare their own decoder against it.
"""
import io
import os
import random
import struct
import zlib

import numpy as np
import simplejpeg
from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def write(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


def photo_like(width, height):
    """Smooth gradients, hard edges and a little texture: the things JPEG decoders get wrong."""
    y, x = np.mgrid[0:height, 0:width]
    r = (x * 255 / max(width - 1, 1)).astype(np.uint8)
    g = (y * 255 / max(height - 1, 1)).astype(np.uint8)
    b = ((x + y) * 3 % 256).astype(np.uint8)
    im = Image.fromarray(np.dstack([r, g, b]), "RGB")
    d = ImageDraw.Draw(im)
    d.ellipse((width * 0.2, height * 0.2, width * 0.6, height * 0.8), fill=(250, 240, 20))
    d.rectangle((width * 0.65, height * 0.1, width * 0.9, height * 0.5), fill=(20, 30, 200))
    d.line((0, height - 1, width - 1, 0), fill=(255, 255, 255), width=2)
    return im


def corners(width, height, size):
    """Mid-grey with a solid colour in each corner, to check where rotations put them."""
    im = Image.new("RGB", (width, height), (128, 128, 128))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, size - 1, size - 1), fill=(255, 0, 0))                       # top-left red
    d.rectangle((width - size, 0, width - 1, size - 1), fill=(0, 255, 0))           # top-right green
    d.rectangle((0, height - size, size - 1, height - 1), fill=(0, 0, 255))         # bottom-left blue
    d.rectangle((width - size, height - size, width - 1, height - 1), fill=(255, 255, 0))  # bottom-right yellow
    return im


def jpeg(im, **options):
    out = io.BytesIO()
    im.save(out, "JPEG", **options)
    return out.getvalue()


def dump(data, mode):
    """What Pillow decodes from `data`, as raw bytes of `mode`."""
    return Image.open(io.BytesIO(data)).convert(mode).tobytes()


def save_jpeg_with_dump(name, data, mode="RGB"):
    write(name + ".jpg", data)
    write(name + (".rgb" if mode == "RGB" else ".gray"), dump(data, mode))


def insert_app1_after_soi(data, payload):
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


def big_endian_exif(orientation):
    """A minimal Exif APP1 in Motorola byte order holding only the orientation tag."""
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8)
    tiff += struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0)
    return b"Exif\x00\x00" + tiff


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def handmade_png(width, height, depth, colour, rows, interlace=0, level=6):
    """A PNG written by hand so every filter type gets used (row n uses filter n % 5)."""
    samples = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    bpp = max(1, samples * depth // 8)
    raw = bytearray()
    previous = bytes(len(rows[0]))
    for n, row in enumerate(rows):
        kind = n % 5
        out = bytearray()
        for i, value in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 0:
                pred = 0
            elif kind == 1:
                pred = a
            elif kind == 2:
                pred = b
            elif kind == 3:
                pred = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            out.append((value - pred) & 0xFF)
        raw += bytes([kind]) + out
        previous = row
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(bytes(raw), level)) + png_chunk(b"IEND", b""))


def main():
    # --- JPEG ------------------------------------------------------------------------------
    # Orientation 6 plus GPS and a camera make that must never reach the output.
    exif = Image.Exif()
    exif.endian = "<"  # Intel byte order here; the orientation-8 fixture below is Motorola order
    exif.bigtiff = False
    exif[0x0112] = 6
    exif[0x010F] = "SecretCam"
    exif[0x8825] = {
        1: "N", 2: (IFDRational(52, 1), IFDRational(31, 1), IFDRational(5237, 1000)),
        3: "E", 4: (IFDRational(13, 1), IFDRational(24, 1), IFDRational(4711, 1000)),
    }
    oriented = jpeg(corners(96, 64, 24), quality=90, subsampling="4:2:0", exif=exif.tobytes())
    write("exif_orientation6_gps.jpg", oriented)
    check = Image.open(path("exif_orientation6_gps.jpg"))
    assert check.getexif()[0x0112] == 6
    assert check.getexif().get_ifd(0x8825)[2][2] == IFDRational(5237, 1000)
    assert b"Exif\x00\x00II*\x00" in oriented

    plain_corners = jpeg(corners(96, 64, 24), quality=90, subsampling="4:2:0")
    write("exif_orientation8_bigendian.jpg", insert_app1_after_soi(plain_corners, big_endian_exif(8)))

    source = photo_like(101, 67)
    save_jpeg_with_dump("baseline_420", jpeg(source, quality=90, subsampling="4:2:0"))
    save_jpeg_with_dump("baseline_422", jpeg(source, quality=90, subsampling="4:2:2"))
    save_jpeg_with_dump("baseline_444_restart",
                        jpeg(source, quality=90, subsampling="4:4:4", restart_marker_blocks=3))
    array = np.asarray(source)
    save_jpeg_with_dump("baseline_440", simplejpeg.encode_jpeg(array, quality=90, colorsubsampling="440"))
    save_jpeg_with_dump("baseline_411", simplejpeg.encode_jpeg(array, quality=90, colorsubsampling="411"))
    save_jpeg_with_dump("progressive_420", jpeg(source, quality=90, subsampling="4:2:0", progressive=True))
    save_jpeg_with_dump("progressive_444_restart",
                        jpeg(source, quality=90, subsampling="4:4:4", progressive=True, restart_marker_rows=1))
    save_jpeg_with_dump("grey", jpeg(source.convert("L"), quality=90), mode="L")

    write("cmyk.jpg", jpeg(source.convert("CMYK"), quality=90))
    whole = jpeg(source, quality=90, subsampling="4:2:0")
    write("truncated.jpg", whole[: len(whole) * 6 // 10])

    # The header claims 30000×30000; the rest is a normal small image.
    huge = bytearray(whole)
    sof = huge.index(b"\xff\xc0")
    huge[sof + 5:sof + 9] = struct.pack(">HH", 30000, 30000)
    write("huge_header.jpg", bytes(huge))

    write("random.bin", random.Random(1234).randbytes(2000))

    # --- PNG -------------------------------------------------------------------------------
    rgba = photo_like(64, 48).convert("RGBA")
    alpha = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize((64, 48))
    rgba.putalpha(alpha)
    ImageDraw.Draw(rgba).rectangle((0, 0, 9, 9), fill=(10, 20, 30, 0))  # fully transparent corner
    rgba.save(path("rgba.png"))
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    write("rgba.rgb", Image.alpha_composite(white, rgba).convert("RGB").tobytes())

    palette = photo_like(64, 48).quantize(colors=200)
    palette.save(path("palette.png"))
    write("palette.rgb", palette.convert("RGB").tobytes())

    # Four colours → Pillow writes 2-bit indices; index 0 is half transparent via tRNS.
    small = photo_like(37, 23).quantize(colors=4)
    small.save(path("palette_2bit_trns.png"), transparency=bytes([128, 255, 255, 255]))
    flat = Image.open(path("palette_2bit_trns.png")).convert("RGBA")
    write("palette_2bit_trns.rgb", Image.alpha_composite(Image.new("RGBA", flat.size, (255,) * 4), flat)
          .convert("RGB").tobytes())

    grey_alpha = photo_like(40, 30).convert("LA")
    grey_alpha.putalpha(Image.linear_gradient("L").resize((40, 30)))
    grey_alpha.save(path("grey_alpha.png"))
    flat = Image.alpha_composite(Image.new("RGBA", grey_alpha.size, (255,) * 4), grey_alpha.convert("RGBA"))
    write("grey_alpha.gray", flat.convert("L").tobytes())

    photo_like(33, 21).convert("1").save(path("bilevel.png"))
    write("bilevel.gray", Image.open(path("bilevel.png")).convert("L").tobytes())

    photo_like(50, 30).save(path("rgb_stored.png"), compress_level=0)
    write("rgb_stored.rgb", photo_like(50, 30).tobytes())

    # 16-bit RGB and RGBA, written by hand with every filter type.
    rng = random.Random(99)
    width, height = 23, 11
    rows16, rowsA16, values, valuesA = [], [], [], []
    for y in range(height):
        row, rowA = bytearray(), bytearray()
        for x in range(width):
            r, g, b = (x * 2800) & 0xFFFF, (y * 5900) & 0xFFFF, rng.randrange(65536)
            a = (x * 65535) // (width - 1)
            row += struct.pack(">HHH", r, g, b)
            rowA += struct.pack(">HHHH", r, g, b, a)
            values.append((r, g, b))
            valuesA.append((r, g, b, a))
        rows16.append(bytes(row))
        rowsA16.append(bytes(rowA))
    write("rgb16.png", handmade_png(width, height, 16, 2, rows16))
    write("rgb16.rgb", bytes(round(v * 255 / 65535) for p in values for v in p))
    write("rgba16.png", handmade_png(width, height, 16, 6, rowsA16))
    flat16 = bytearray()
    for r, g, b, a in valuesA:
        a8 = round(a * 255 / 65535)
        for v in (r, g, b):
            v8 = round(v * 255 / 65535)
            flat16.append((v8 * a8 + 255 * (255 - a8) + 127) // 255)
    write("rgba16.rgb", bytes(flat16))

    grey16 = [bytes(b"".join(struct.pack(">H", (x * 3000 + y * 7000) & 0xFFFF) for x in range(width)))
              for y in range(height)]
    write("grey16.png", handmade_png(width, height, 16, 0, grey16))
    write("grey16.gray", bytes(round(((x * 3000 + y * 7000) & 0xFFFF) * 255 / 65535)
                              for y in range(height) for x in range(width)))

    write("interlaced.png", handmade_png(8, 8, 8, 0, [bytes(8)] * 8, interlace=1))

    # A 3000×2000 grey image that compresses to almost nothing, for the exact-size test.
    big = Image.new("L", (3000, 2000), 90)
    ImageDraw.Draw(big).rectangle((0, 0, 1499, 999), fill=200)
    big.save(path("flat_3000x2000.png"), optimize=True)

    # --- zlib streams for the inflater on its own ---------------------------------------------
    words = random.Random(7).choices("alpha beta gamma delta pixel photo jpeg png zlib huff".split(), k=900)
    text = ("Deflate test: stored, fixed and dynamic Huffman blocks. " * 20 + " ".join(words)).encode()
    write("zlib_plain.txt", text)
    write("zlib_stored.bin", zlib.compress(text, 0))
    fixed = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_FIXED)
    write("zlib_fixed.bin", fixed.compress(text) + fixed.flush())
    write("zlib_dynamic.bin", zlib.compress(text, 9))

    total = 0
    for name in sorted(os.listdir(HERE)):
        size = os.path.getsize(path(name))
        total += size
        print(f"{size:8d}  {name}")
    print(f"{total:8d}  total")


if __name__ == "__main__":
    main()
