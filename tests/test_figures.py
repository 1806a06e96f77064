"""ethicskit.figures: the one figure-to-PNG step, and accessible figures for the lessons."""

from __future__ import annotations

import subprocess
import sys

from ethicskit.figures import png_bytes, show_figure

PNG = b"\x89PNG\r\n\x1a\n"


def test_importing_the_module_loads_no_matplotlib():
    code = "import sys, ethicskit.figures; print(sorted(m for m in sys.modules if m.startswith('matplotlib')))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_a_figure_object_renders_without_pyplot_or_a_backend_switch():
    code = ("import sys; import matplotlib; from matplotlib.figure import Figure; from ethicskit.figures import png_bytes\n"
            "matplotlib.use = None  # calling it would fail\n"
            "fig = Figure(figsize=(3, 2)); fig.subplots().plot([1, 2, 3])\n"
            "data = png_bytes(fig, dpi=40); print(data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.split() == ["True", "False"]


def test_dpi_sets_the_size_and_the_image_is_cropped_to_what_is_drawn():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 2))
    fig.subplots().set_title("Selection rate by group")
    small, large = png_bytes(fig, dpi=50), png_bytes(fig, dpi=100)
    assert small.startswith(PNG) and large.startswith(PNG)
    width = int.from_bytes(small[16:20], "big")
    assert int.from_bytes(large[16:20], "big") > 1.8 * width
    assert width < 4 * 50, "bbox_inches='tight' crops the empty margin"


def test_show_figure_closes_a_pyplot_figure_so_it_is_not_drawn_twice():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_title("t")
    shown = show_figure(fig, caption="A caption.")
    assert fig.number not in plt.get_fignums()
    assert shown.png.startswith(PNG) and shown.alt == "A caption."
