"""chainatlas — 产业链图谱: Chinese regional-industry news → industry-chain atlas."""

from chainatlas.native import guard as _native_guard

__version__ = "0.1.0"

# A compiled extraction module (see chainatlas.native) only runs when it matches its source.
_native_guard()
