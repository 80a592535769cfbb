"""The built book in a real browser: headless Chromium, driven over the DevTools protocol.

The book in `_build/html` (built here only if `index.html` is missing) is served on
127.0.0.1 by a stdlib `http.server` thread, and every page of `_toc.yml` is opened in
Chromium. The protocol runs over `--remote-debugging-pipe` (NUL-separated JSON on file
descriptors 3 and 4), so no Python package is needed, only the browser: Debian's `chromium`
(or `$FRAMELENS_CHROMIUM`). Host names other than 127.0.0.1 do not resolve inside the
browser, so anything a page tries to load from the internet fails, and fails the test.

Every page is opened twice, at a desktop width (1400 px) and a phone width (390 px). At both:
no JavaScript error or console error, no failed request, every <img> loads (naturalWidth > 0),
nothing sticks out sideways from the main text column (a wide table scrolls inside its own
box), no image is shown at less than half its own width, no table is empty, and every long
table has become a DataTable (the itables bundle in the page works offline). At the desktop
width every text in a figure is at least 10 px high as shown, and the sidebar lists every
chapter title, linked to its page. The search page must find a term. Screenshots go to
`_build/screenshots/<page>-<width>.png` (the first screen, as a reader opens the page) and
`<page>-<width>-full.png` (the whole page).
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[2]
# The book to test: the project's build, or another build of it (FRAMELENS_HTML=/path/to/html).
HTML = Path(os.environ.get("FRAMELENS_HTML") or PROJECT / "_build" / "html")
SCREENSHOTS = PROJECT / "_build" / "screenshots"
# name -> (width, height, mobile): the viewport of each reading.
VIEWPORTS = {"desktop": (1400, 2000, False), "phone": (390, 844, True)}
WIDTH, HEIGHT = VIEWPORTS["desktop"][:2]
MIN_TEXT_PX = 10.0  # the smallest text in a figure, as the desktop page shows it
FULL_PAGE_MAX = 16000  # px: Chromium cannot capture a taller screenshot in one piece
SEARCH_TERM = "Russia"

pytestmark = pytest.mark.slow


# ----------------------------------------------------------------------------- the book's pages


def toc_pages() -> list[str]:
    """Every page of _toc.yml in reading order, without suffix: ["intro", "chapters/corpus", ...]."""
    toc = yaml.safe_load((PROJECT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections"))

    walk(toc.get("chapters"))
    for part in toc.get("parts") or []:
        walk(part.get("chapters"))
    return [re.sub(r"\.(md|ipynb)$", "", page) for page in pages]


def source_of(page: str) -> Path:
    for suffix in (".md", ".ipynb"):
        if (PROJECT / f"{page}{suffix}").is_file():
            return PROJECT / f"{page}{suffix}"
    raise FileNotFoundError(f"{page} in _toc.yml has no source file")


def page_title(page: str) -> str:
    """The page's first level-1 heading, as plain text (outside front matter and code)."""
    text = source_of(page).read_text(encoding="utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    fence = None
    for line in text.splitlines():
        marker = re.match(r"^(`{3,}|~{3,})", line)
        if marker:
            fence = None if fence and marker.group(1).startswith(fence) else (fence or marker.group(1))
            continue
        if fence is None and line.startswith("# "):
            title = line[2:].strip()
            return re.sub(r"[*_`]", "", title)
    raise AssertionError(f"{source_of(page)} has no '# ' title")


def screenshot_name(page: str) -> str:
    return Path(page).name


PAGES = toc_pages()
assert len({screenshot_name(p) for p in PAGES}) == len(PAGES), "two pages would share a screenshot name"


# ----------------------------------------------------------------------------- the server


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the book quietly and records (path, status) of every request."""

    def log_request(self, code="-", size="-"):
        status = int(code) if isinstance(code, int) or str(code).isdigit() else 0  # HTTPStatus is an int
        self.server.requests.append((self.path, status))

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture(scope="session")
def book_html() -> Path:
    """_build/html, built once here if it is missing (`make test` normally builds it)."""
    if not (HTML / "index.html").is_file():
        assert not os.environ.get("FRAMELENS_HTML"), f"FRAMELENS_HTML={HTML} has no index.html"
        jupyter_book = Path(sys.executable).parent / "jupyter-book"
        result = subprocess.run(
            [str(jupyter_book), "build", str(PROJECT), "--all", "-W", "-n", "--keep-going"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert result.returncode == 0, f"the book does not build:\n{result.stdout[-5000:]}\n{result.stderr[-5000:]}"
    missing = [p for p in PAGES if not (HTML / f"{p}.html").is_file()]
    assert not missing, f"{HTML} has no page for {missing}: it is older than _toc.yml; rebuild it (make book)"
    return HTML


@pytest.fixture(scope="session")
def server(book_html):
    """Serve the book on 127.0.0.1 at a free port; yields (base URL, request log)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(book_html)))
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, name="book-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", httpd.requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


# ----------------------------------------------------------------------------- the browser


class CDPError(RuntimeError):
    pass


def find_chromium() -> str:
    candidates = [
        os.environ.get("FRAMELENS_CHROMIUM"),
        "/usr/lib/chromium/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(
        "no Chromium found: install Debian's package (apt-get install chromium) "
        "or set FRAMELENS_CHROMIUM to a Chrome/Chromium executable"
    )


class Chromium:
    """Headless Chromium and a minimal Chrome DevTools Protocol client over a pipe."""

    def __init__(self, profile: Path, log: Path):
        self.log_path = log
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        args = [
            find_chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--mute-audio",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--lang=en-US",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            f"--window-size={WIDTH},{HEIGHT}",
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        # The protocol pipe must be the browser's fds 3 (commands in) and 4 (messages out).
        script = f'exec "$@" 3<&{to_browser_r} 4>&{from_browser_w} {to_browser_r}<&- {from_browser_w}>&-'
        self._log = open(log, "wb")
        self.process = subprocess.Popen(
            ["/bin/bash", "-c", script, "bash", *args],
            pass_fds=(to_browser_r, from_browser_w),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        self.version = self.call("Browser.getVersion", timeout=60)

    def _read(self, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise CDPError(
                    f"Chromium closed the protocol pipe (exit code {self.process.poll()}); log:\n{self.log_tail()}"
                )
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(max(0.0, deadline - time.monotonic()))
            if reply is None:
                raise CDPError(f"no reply to {method} within {timeout} s")
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, predicate, timeout: float) -> dict:
        for event in self.events:
            if predicate(event):
                return event
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            event = self._read(remaining)
            if event is None:
                break
            if "method" in event:
                self.events.append(event)
                if predicate(event):
                    return event
        raise CDPError(f"timed out after {timeout} s")

    def pump(self, seconds: float) -> None:
        """Collect events for `seconds` (late console messages, late requests)."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            event = self._read(remaining)
            if event is not None and "method" in event:
                self.events.append(event)

    def log_tail(self, n: int = 3000) -> str:
        self._log.flush()
        return self.log_path.read_bytes()[-n:].decode("utf-8", "replace")

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except (CDPError, OSError):
            pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the browser's own process group
            self.process.wait(10)
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        self._log.close()


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chromium")
    chromium = Chromium(folder / "profile", folder / "chromium.log")
    try:
        yield chromium
    finally:
        chromium.close()


@dataclass
class Visit:
    url: str
    errors: list[str] = field(default_factory=list)  # JS exceptions, console errors, failed requests
    external: list[str] = field(default_factory=list)  # requests that leave 127.0.0.1
    images: list[dict] = field(default_factory=list)
    sidebar: list[dict] = field(default_factory=list)
    screenshot: Path | None = None
    result: object = None
    layout: dict = field(default_factory=dict)  # LAYOUT_JS: overflow, shown sizes, tables, figure text


IMAGES_JS = """(async () => {
  const images = Array.from(document.images);
  for (const img of images) { img.loading = 'eager'; }
  await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
    img.addEventListener('load', done); img.addEventListener('error', done); setTimeout(done, 15000);
  })));
  return images.map(img => ({src: img.getAttribute('src'), url: img.currentSrc || img.src, alt: img.alt,
                             complete: img.complete, width: img.naturalWidth, height: img.naturalHeight}));
})()"""

# What a reader sees of the layout: what sticks out of the text column (outside any box that
# scrolls), each image's shown and own width, tables without rows, long tables DataTables did
# not take over, and for each SVG figure the smallest text size it declares (matplotlib writes
# text as glyphs scaled by fontsize/100: "scale(0.085 -0.085)" is 8.5 pt).
LAYOUT_JS = r"""(async () => {
  const main = document.querySelector('main .bd-article') || document.querySelector('article') || document.body;
  const box = main.getBoundingClientRect();
  const scrolls = el => { for (let p = el.parentElement; p && p !== main; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  const overflow = [];
  for (const el of main.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if ((r.right > box.right + 1 || r.left < box.left - 1) && !scrolls(el)) {
      overflow.push(`${el.tagName.toLowerCase()}.${(el.className.baseVal ?? el.className).toString().split(' ')[0]}` +
                    ` [${Math.round(r.left)}, ${Math.round(r.right)}] outside [${Math.round(box.left)}, ${Math.round(box.right)}]`);
    }
  }
  const images = [];
  for (const img of main.querySelectorAll('img')) {
    const entry = {src: img.getAttribute('src'), natural: img.naturalWidth, shown: img.getBoundingClientRect().width};
    if ((img.getAttribute('src') || '').endsWith('.svg')) {
      const svg = await (await fetch(img.src)).text();
      const sizes = Array.from(svg.matchAll(/scale\(([0-9.]+) -[0-9.]+\)/g), m => 100 * parseFloat(m[1]));
      entry.min_font_pt = sizes.length ? Math.min(...sizes) : null;
    }
    images.push(entry);
  }
  const tables = Array.from(main.querySelectorAll('table')).map(t => ({
    id: t.id || t.className, rows: t.querySelectorAll('tbody tr').length,
    cells: t.querySelectorAll('tbody td, tbody th').length}));
  const waiting = Array.from(main.querySelectorAll('.framelens-interactive table.framelens-table'))
                       .filter(t => !t.classList.contains('dataTable')).map(t => t.id);
  return {main: {left: box.left, right: box.right, scroll: main.scrollWidth, client: main.clientWidth},
          page: {scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth},
          overflow, images, tables, waiting};
})()"""

SIDEBAR_JS = """Array.from(document.querySelectorAll('nav.bd-docs-nav a')).map(a => ({
  text: a.textContent.replace(/\\s+/g, ' ').trim(), href: a.href}))"""


def _evaluate(browser: Chromium, session: str, expression: str, timeout: float = 30):
    reply = browser.call(
        "Runtime.evaluate",
        {"expression": expression, "returnByValue": True, "awaitPromise": True},
        session=session,
        timeout=timeout,
    )
    if "exceptionDetails" in reply:
        raise CDPError(f"{expression[:60]!r} raised {reply['exceptionDetails']}")
    return reply["result"].get("value")


def _describe_console(params: dict) -> str:
    parts = []
    for arg in params.get("args", []):
        parts.append(str(arg.get("value", arg.get("description", arg.get("type")))))
    return " ".join(parts)


def visit(
    browser: Chromium,
    url: str,
    screenshot: Path | None = None,
    until: str | None = None,
    result: str | None = None,
    viewport: str = "desktop",
) -> Visit:
    """Open `url` in a new tab at `viewport` (a key of VIEWPORTS); collect errors, images,
    sidebar, layout, screenshots; close the tab.

    `until`: a JavaScript expression to wait for (true) after the load event; `result`: one
    whose value is stored in Visit.result. With `screenshot`, the first screen goes there and
    the whole page beside it as `<name>-full.png`.
    """
    width, height, mobile = VIEWPORTS[viewport]
    origin = "/".join(url.split("/", 3)[:3]) + "/"  # http://127.0.0.1:PORT/
    target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    first_event = len(browser.events)
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.call(f"{domain}.enable", session=session)
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
            session=session,
        )
        navigation = browser.call("Page.navigate", {"url": url}, session=session)
        out = Visit(url=url)
        if navigation.get("errorText"):
            out.errors.append(f"navigation failed: {navigation['errorText']}")
            return out
        browser.wait_for(lambda e: e.get("sessionId") == session and e["method"] == "Page.loadEventFired", timeout=60)
        _evaluate(browser, session, "document.fonts.ready.then(() => true)")
        if until:
            deadline = time.monotonic() + 30
            while not _evaluate(browser, session, until):
                if time.monotonic() > deadline:
                    out.errors.append(f"timed out waiting for {until}")
                    break
                browser.pump(0.2)
        out.images = _evaluate(browser, session, IMAGES_JS)
        out.sidebar = _evaluate(browser, session, SIDEBAR_JS)
        if result:
            out.result = _evaluate(browser, session, result)
        browser.pump(0.5)  # late console messages and DataTables set-up
        out.layout = _evaluate(browser, session, LAYOUT_JS, timeout=60)
        if screenshot is not None:
            shot = browser.call(
                "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False}, session=session
            )
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
            out.screenshot = screenshot
            # The whole page: a viewport as tall as the page (up to FULL_PAGE_MAX), then back.
            size = browser.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
            tall = int(min(max(size["height"], height), FULL_PAGE_MAX))
            metrics = {"width": width, "deviceScaleFactor": 1, "mobile": mobile}
            browser.call("Emulation.setDeviceMetricsOverride", {**metrics, "height": tall}, session=session)
            browser.pump(0.5)
            full = browser.call(
                "Page.captureScreenshot",
                {"format": "png", "captureBeyondViewport": False},
                session=session,
                timeout=120,
            )
            browser.call("Emulation.setDeviceMetricsOverride", {**metrics, "height": height}, session=session)
            screenshot.with_name(f"{screenshot.stem}-full.png").write_bytes(base64.b64decode(full["data"]))
        urls: dict[str, str] = {}
        for event in browser.events[first_event:]:
            if event.get("sessionId") != session:
                continue
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                text = details.get("exception", {}).get("description") or details.get("text")
                out.errors.append(
                    f"JavaScript exception: {text} ({details.get('url', '')}:{details.get('lineNumber')})"
                )
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.errors.append(f"console.{params['type']}: {_describe_console(params)}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                entry = params["entry"]
                out.errors.append(
                    f"console error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".strip()
                )
            elif method == "Network.requestWillBeSent":
                request_url = params["request"]["url"]
                urls[params["requestId"]] = request_url
                if not request_url.startswith((origin, "data:", "blob:", "about:")):
                    out.external.append(request_url)
            elif method == "Network.loadingFailed" and not params.get("canceled"):
                out.errors.append(f"request failed: {urls.get(params['requestId'], '?')}: {params.get('errorText')}")
            elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
                out.errors.append(f"HTTP {params['response']['status']}: {params['response']['url']}")
        return out
    finally:
        browser.call("Target.closeTarget", {"targetId": target})
        # keep memory flat: drop this tab's events
        del browser.events[first_event:]


@pytest.fixture(scope="session")
def readings(browser, server) -> dict[tuple[str, str], Visit]:
    """Every page of _toc.yml at every viewport, opened once, with screenshots in _build/screenshots/."""
    base, _ = server
    for old in SCREENSHOTS.glob("*.png"):  # only this run's screenshots, none of an older layout
        old.unlink()
    return {
        (page, viewport): visit(
            browser,
            f"{base}{page}.html",
            screenshot=SCREENSHOTS / f"{screenshot_name(page)}-{viewport}.png",
            viewport=viewport,
        )
        for page in PAGES
        for viewport in VIEWPORTS
    }


@pytest.fixture(scope="session")
def visits(readings) -> dict[str, Visit]:
    """Every page at the desktop width."""
    return {page: readings[(page, "desktop")] for page in PAGES}


# ----------------------------------------------------------------------------- tests


def test_the_browser_is_real(browser):
    assert "Chrome" in browser.version["product"], browser.version


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("page", PAGES)
def test_no_console_errors_and_nothing_from_outside(readings, page, viewport):
    result = readings[(page, viewport)]
    assert result.errors == [], f"{page}: " + "\n".join(result.errors)
    assert result.external == [], f"{page} loads from outside the book: {result.external}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("page", PAGES)
def test_every_image_loads(readings, page, viewport):
    images = readings[(page, viewport)].images
    broken = [img for img in images if not (img["complete"] and img["width"] > 0 and img["height"] > 0)]
    assert broken == [], f"{page}: images that did not load: {broken}"
    source = source_of(page).read_text(encoding="utf-8")
    if "save_figure(" in source:
        figures = [img for img in images if "_images/" in img["src"]]
        assert figures, f"{page} saves figures but shows no image"
    for img in images:
        assert img["alt"].strip(), f"{page}: image without alt text: {img['src']}"


@pytest.mark.parametrize("page", PAGES)
def test_sidebar_lists_every_chapter(visits, server, page):
    base, _ = server
    sidebar = visits[page].sidebar
    titles = [entry["text"] for entry in sidebar]
    expected = [page_title(p) for p in PAGES]
    assert titles == expected, f"{page}: sidebar {titles} != titles of _toc.yml {expected}"
    for entry, target in zip(sidebar, PAGES):
        assert entry["href"].split("#")[0] == f"{base}{target}.html", f"{page}: {entry} should link to {target}.html"


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("page", PAGES)
def test_screenshot_shows_the_page(readings, page, viewport):
    from PIL import Image

    path = readings[(page, viewport)].screenshot
    width, height, _ = VIEWPORTS[viewport]
    with Image.open(path) as image:
        assert image.size == (width, height)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is None or len(colours) > 50, f"{path} is (nearly) blank: {len(colours)} colours"
    full = path.with_name(f"{path.stem}-full.png")
    with Image.open(full) as image:
        assert image.size[0] == width and image.size[1] >= height, (full, image.size)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("page", PAGES)
def test_nothing_sticks_out_of_the_text_column(readings, page, viewport):
    layout = readings[(page, viewport)].layout
    assert layout["overflow"] == [], (
        f"{page} at {viewport} width: sticks out of the text column: {layout['overflow'][:8]}"
    )
    main = layout["main"]
    assert main["scroll"] <= main["client"] + 1, f"{page} at {viewport} width: the text column scrolls sideways: {main}"
    assert layout["page"]["scroll"] <= layout["page"]["client"] + 1, f"{page} at {viewport}: the page scrolls sideways"


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("page", PAGES)
def test_no_image_is_shrunk_to_less_than_half(readings, page, viewport):
    images = readings[(page, viewport)].layout["images"]
    shrunk = [img for img in images if img["natural"] and img["shown"] < img["natural"] / 2]
    assert shrunk == [], f"{page} at {viewport} width: images shown at less than half their width: {shrunk}"


@pytest.mark.parametrize("page", PAGES)
def test_figure_text_is_readable_at_desktop_width(readings, page):
    images = readings[(page, "desktop")].layout["images"]
    figures = [img for img in images if img.get("min_font_pt") is not None]
    if "save_figure(" in source_of(page).read_text(encoding="utf-8"):
        assert figures, f"{page} saves figures but shows no SVG figure"
    for img in figures:
        shown_px = img["min_font_pt"] * 4 / 3 * img["shown"] / img["natural"]
        assert shown_px >= MIN_TEXT_PX, f"{page}: {img['src']} has text of {shown_px:.1f} px as shown"


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("page", PAGES)
def test_no_empty_table_and_long_tables_are_interactive(readings, page, viewport):
    layout = readings[(page, viewport)].layout
    empty = [t for t in layout["tables"] if t["rows"] == 0 or t["cells"] == 0]
    assert empty == [], f"{page} at {viewport} width: empty tables: {empty}"
    assert layout["waiting"] == [], (
        f"{page} at {viewport} width: long tables DataTables did not set up: {layout['waiting']}"
    )


def test_search_finds_a_term(browser, server):
    base, requests = server
    # Sphinx lists the results one by one and fills in the summary when it has shown them all.
    done = "(document.querySelector('#search-results .search-summary')?.textContent || '').trim() !== ''"
    found = visit(
        browser,
        f"{base}search.html?q={SEARCH_TERM}",
        screenshot=SCREENSHOTS / "search.png",
        until=done,
        result="""({summary: document.querySelector('#search-results .search-summary').textContent,
                              links: Array.from(document.querySelectorAll('#search-results ul.search li a'))
                                          .map(a => a.getAttribute('href'))})""",
    )
    assert found.errors == [], "\n".join(found.errors)
    assert found.result["links"], f"searching {SEARCH_TERM!r} found nothing: {found.result['summary']!r}"
    pages = {link.split("?")[0].split("#")[0].removesuffix(".html") for link in found.result["links"]}
    assert "chapters/references" in pages, f"the chapter about references is not among the results {sorted(pages)}"
    assert any(path.startswith("/searchindex.js") for path, _ in requests), "the search index was never loaded"


def test_server_saw_no_missing_files(visits, server):
    _, requests = server
    missing = sorted({path for path, status in requests if status >= 400})
    assert missing == [], f"the pages asked for files the build does not have: {missing}"
