"""`migkg add` downloads a page from a real HTTP server on loopback and records it in the manifest."""

import http.server
import threading

import pytest
import yaml
from click.testing import CliRunner

from migkg.cli import main

PAGE = (b"<!doctype html><html lang='en'><head><title>IOM and Ghana sign MoU</title>"
        b"<meta property='og:site_name' content='Example News'></head><body><article><h1>IOM and Ghana sign MoU</h1>"
        b"<p>Accra, Ghana, 3 March 2021 - The International Organization for Migration (IOM) and the Government of Ghana "
        b"today signed a memorandum of understanding on labour migration and fair recruitment.</p></article></body></html>")


@pytest.fixture
def server():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/missing":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_add_url_downloads_and_records_the_source(server, tmp_path):
    result = CliRunner().invoke(main, ["add", f"{server}/news/iom-ghana", "--sources", str(tmp_path)])
    assert result.exit_code == 0, result.output
    manifest = yaml.safe_load((tmp_path / "manifest.yaml").read_text())
    assert manifest[0]["url"] == f"{server}/news/iom-ghana" and manifest[0]["publisher"] == "Example News"
    assert (tmp_path / manifest[0]["file"]).read_bytes() == PAGE
    built = CliRunner().invoke(main, ["build", str(tmp_path), "--kg", str(tmp_path / "dist")])
    assert built.exit_code == 0 and "1 agreements" in built.output


def test_add_reports_http_errors(server, tmp_path):
    result = CliRunner().invoke(main, ["add", f"{server}/missing", "--sources", str(tmp_path)])
    assert result.exit_code == 1 and "could not download" in result.output


def test_add_file(tmp_path):
    src = tmp_path / "page.bin"
    src.write_bytes(PAGE)
    result = CliRunner().invoke(main, ["add", str(src), "--sources", str(tmp_path / "sources")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "sources").glob("*.html"))) == 1
