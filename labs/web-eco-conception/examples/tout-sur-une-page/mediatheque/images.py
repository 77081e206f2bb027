"""Couvertures de livres fabriquées à la volée (PNG), pour ne pas stocker d'images dans le dépôt."""

from __future__ import annotations

import random
import struct
import zlib
from functools import lru_cache


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@lru_cache(maxsize=512)
def couverture(numero: int, largeur: int, hauteur: int, compression: int = 9, grain: bool = False) -> bytes:
    """Une couverture RGB : un aplat coloré (très compressible) ou, avec `grain`, une photo bruitée."""
    hasard = random.Random(numero)
    couleur = bytes(hasard.randrange(40, 200) for _ in range(3))
    lignes = []
    for _y in range(hauteur):
        if grain:
            pixels = bytes(min(255, c + hasard.randrange(0, 56)) for _x in range(largeur) for c in couleur)
        else:
            pixels = couleur * largeur
        lignes.append(b"\x00" + pixels)
    brut = b"".join(lignes)
    entete = struct.pack(">IIBBBBB", largeur, hauteur, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", entete) + _chunk(b"IDAT", zlib.compress(brut, compression)) + _chunk(b"IEND", b"")
