"""Voila time-to-interactive per lesson: preheated kernels against a cold start, in one run.

For each lesson, a Voila server is started twice (the kit's own command line
from ethicskit.serve): once plain, once with a pool of one preheated kernel.
Time-to-interactive is measured in Debian's chromium from navigation until
the first widget is visible. Target: <= 3 s with preheating.
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
TARGET = 3.0


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


def time_to_interactive(browser, url: str) -> float:
    page = browser.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.locator(".jupyter-widgets:visible").first.wait_for(timeout=120_000)
    seconds = time.perf_counter() - start
    page.close()
    return seconds


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
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
                warm = time_to_interactive(browser, url)
            finally:
                proc.terminate()
                proc.wait()
            print(json.dumps({
                "name": f"voila time-to-interactive {lesson.parent.name}", "seconds": round(warm, 3),
                "baseline_seconds": round(cold, 3), "ratio": round(cold / warm, 2),
                "ratio_meaning": "cold start / preheated (higher is better)",
                "target": f"<= {TARGET} s preheated", "meets": warm <= TARGET,
            }), flush=True)
        browser.close()


if __name__ == "__main__":
    main()
