"""Tiny SVG and PNG helpers for the explorers (:mod:`bplab.widgets`). Inline SVG scales with
the page, so the frames stay readable on a phone."""
from __future__ import annotations

import base64
import html
import struct
import zlib

import numpy as np

INK, ACCENT, MUTED = "#1f2937", "#d9480f", "#9ca3af"

class _Axes:
    """Map data coordinates to an SVG box of ``w`` x ``h`` pixels with margins for labels."""

    def __init__(self, xlim, ylim, *, w=320, h=240, logx=False, logy=False):
        self.w, self.h, self.logx, self.logy = w, h, logx, logy
        self.x0, self.x1 = (np.log10(v) if logx else v for v in xlim)
        self.y0, self.y1 = (np.log10(v) if logy else v for v in ylim)
        self.left, self.right, self.top, self.bottom = 44, w - 8, 26, h - 34
        self.parts = []

    def px(self, x, y):
        x = np.log10(np.maximum(x, 1e-300)) if self.logx else np.asarray(x, float)
        y = np.log10(np.maximum(y, 1e-300)) if self.logy else np.asarray(y, float)
        u = self.left + (x - self.x0) / (self.x1 - self.x0) * (self.right - self.left)
        v = self.bottom - (y - self.y0) / (self.y1 - self.y0) * (self.bottom - self.top)
        return u, np.clip(v, self.top - 4, self.bottom + 4)

    def line(self, x, y, color=ACCENT, width=2):
        u, v = self.px(x, y)
        pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(u, v) if np.isfinite(a + b))
        self.parts.append(f'<polyline points="{pts}" fill="none" stroke="{color}" '
                          f'stroke-width="{width}"/>')

    def dots(self, x, y, colors, r=2.5):
        # one path per colour, a zero-length round-capped segment per dot: compact SVG
        u, v = self.px(x, y)
        colors = np.broadcast_to(np.asarray(colors), np.shape(u))
        for c in dict.fromkeys(colors.tolist()):
            d = "".join(f"M{a:.1f},{b:.1f}h0" for a, b, k in zip(u, v, colors) if k == c)
            self.parts.append(f'<path d="{d}" stroke="{c}" stroke-width="{2 * r}" '
                              f'stroke-linecap="round" fill="none"/>')

    def image(self, png: bytes, xlim, ylim):
        (u0, u1), (v1, v0) = self.px(np.array(xlim), np.array(ylim))
        data = base64.b64encode(png).decode()
        self.parts.append(f'<image x="{u0:.1f}" y="{v0:.1f}" width="{u1 - u0:.1f}" '
                          f'height="{v1 - v0:.1f}" preserveAspectRatio="none" '
                          f'href="data:image/png;base64,{data}"/>')

    def svg(self, title, xlabel, ylabel, alt=None):
        """The plot as inline SVG; ``alt`` (default: the title) is what a screen reader says."""
        l, r, t, b = self.left, self.right, self.top, self.bottom
        esc = html.escape
        return (f'<svg viewBox="0 0 {self.w} {self.h}" role="img" '
                f'aria-label="{esc(alt or title)}" '
                f'style="width:100%;max-width:{self.w * 1.4:.0f}px;height:auto" '
                f'font-family="sans-serif" font-size="11">'
                f'<rect x="{l}" y="{t}" width="{r - l}" height="{b - t}" fill="white" '
                f'stroke="{MUTED}"/>{"".join(self.parts)}'
                f'<text x="{self.w / 2}" y="15" text-anchor="middle" font-weight="bold">'
                f'{esc(title)}</text>'
                f'<text x="{(l + r) / 2}" y="{self.h - 6}" text-anchor="middle">'
                f'{esc(xlabel)}</text>'
                f'<text x="12" y="{(t + b) / 2}" text-anchor="middle" '
                f'transform="rotate(-90 12 {(t + b) / 2})">{esc(ylabel)}</text>'
                f'<text x="{l - 3}" y="{b}" text-anchor="end">{self._tick(self.y0)}</text>'
                f'<text x="{l - 3}" y="{t + 8}" text-anchor="end">{self._tick(self.y1)}</text>'
                f'<text x="{l}" y="{b + 12}" text-anchor="middle">'
                f'{self._tick(self.x0, True)}</text>'
                f'<text x="{r}" y="{b + 12}" text-anchor="end">{self._tick(self.x1, True)}</text>'
                f'</svg>')

    def _tick(self, v, x=False):
        log = self.logx if x else self.logy
        return f"1e{v:.0f}" if log else f"{v:g}"


def _png(rgb: np.ndarray) -> bytes:
    """Encode an (h, w, 3) uint8 array as a PNG (no dependency: zlib and struct)."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[i].tobytes() for i in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _frame(svg: str, caption: str, table: str = "") -> str:
    return (f'<div class="bplab-frame" style="max-width:100%;overflow-x:auto">'
            f'<p class="bplab-caption" style="margin:0.3em 0">{caption}</p>{svg}{table}</div>')
