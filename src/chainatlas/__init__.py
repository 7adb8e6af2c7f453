"""chainatlas — 产业链图谱: Chinese regional-industry news → industry-chain atlas."""

__version__ = "0.1.0"
