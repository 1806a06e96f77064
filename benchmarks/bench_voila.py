"""Voila time-to-interactive per lesson: preheated kernels against a cold start, in one run.

For each lesson, a Voila server is started twice (the kit's own command line
from ethicskit.serve): once plain, once with a pool of one preheated kernel.
Time-to-interactive is measured in Debian's chromium from navigation until
the first widget is visible. Target (issue 20): <= 1.5 s with preheating.
Each row also says where the time goes, and a one-slider notebook gives the floor of Voila's front end.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from ethicskit.serve import voila_command, voila_env

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
TARGET = 1.5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(lesson: Path, preheat: int):
    port = free_port()
    proc = subprocess.Popen(voila_command(lesson, port=port, preheat=preheat), cwd=lesson.parent,
                            env=voila_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "voila/api/shutdown", timeout=2)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.2)
    return proc, url


def phases(browser, url: str) -> dict:
    """Where the time goes: the server's answer, the page's own scripts, then the widgets (kernel and models)."""
    page = browser.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.locator(".jupyter-widgets:visible").first.wait_for(timeout=120_000)
    seconds = time.perf_counter() - start
    nav = page.evaluate("JSON.parse(JSON.stringify(performance.getEntriesByType('navigation')[0]))")
    kernel = page.evaluate("Math.min(...performance.getEntriesByType('resource')"
                           ".filter(r => r.name.includes('/api/kernels/')).map(r => r.startTime), 1e9)")
    views = page.evaluate("document.querySelectorAll('.jupyter-widgets').length")
    page.close()
    return {"seconds": seconds, "html_s": round(nav["responseEnd"] / 1000, 3),
            "dom_ready_s": round(nav["domContentLoadedEventEnd"] / 1000, 3),
            "kernel_connect_s": round(kernel / 1000, 3) if kernel < 1e9 else None,
            "page_kb": round(nav["transferSize"] / 1024), "widget_views": views}


def time_to_interactive(browser, url: str) -> float:
    return phases(browser, url)["seconds"]


def trivial_notebook(folder: Path) -> Path:
    """One slider: the floor of Voila's own front end, for comparison."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import ipywidgets as w\nw.IntSlider()")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "trivial.ipynb"
    nbformat.write(nb, path)
    return path


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            proc, url = serve(trivial_notebook(Path(folder)), preheat=1)
            try:
                time.sleep(5.0)
                floor = phases(browser, url)
            finally:
                proc.terminate()
                proc.wait()
        print(json.dumps({"name": "voila time-to-interactive, one-slider notebook (front-end floor)",
                          "seconds": round(floor.pop("seconds"), 3), **floor}), flush=True)
        for lesson in sorted(REPO.glob("modules/*/lesson.ipynb")):
            proc, url = serve(lesson, preheat=0)
            try:
                cold = time_to_interactive(browser, url)
            finally:
                proc.terminate()
                proc.wait()
            proc, url = serve(lesson, preheat=1)
            try:
                time.sleep(max(5.0, 2 * cold))  # let the pool render the notebook first
                detail = phases(browser, url)
                warm = detail.pop("seconds")
            finally:
                proc.terminate()
                proc.wait()
            print(json.dumps({
                "name": f"voila time-to-interactive {lesson.parent.name}", "seconds": round(warm, 3),
                "baseline_seconds": round(cold, 3), "ratio": round(cold / warm, 2),
                "ratio_meaning": "cold start / preheated (higher is better)",
                "target": f"<= {TARGET} s preheated", "meets": warm <= TARGET, **detail,
            }), flush=True)
        browser.close()


if __name__ == "__main__":
    main()
