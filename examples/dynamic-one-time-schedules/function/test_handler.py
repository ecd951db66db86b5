"""handler.py against a real HTTP server on loopback (python3 -m unittest)."""

import http.server
import json
import threading
import unittest
import urllib.error

from handler import handler


class Recorder(http.server.BaseHTTPRequestHandler):
    """Records each request; answers with the status the test asks for."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.requests.append((self.command, self.path, dict(self.headers), body))
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args):
        pass


class HandlerTest(unittest.TestCase):
    def setUp(self):
        self.server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
        self.server.requests = []
        self.server.status = 204
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(thread.join)
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def test_posts_the_payload_as_json_to_the_url(self):
        event = {
            "url": self.base + "/hooks/42?source=scheduler",
            "payload": {"order": 42, "note": "<b>ready</b>"},
            "scheduled_time": "2030-01-01T09:00:00Z",
        }
        self.assertEqual(handler(event, None), {"status": 204})
        [(method, path, headers, body)] = self.server.requests
        self.assertEqual(method, "POST")
        self.assertEqual(path, "/hooks/42?source=scheduler")
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(headers["X-Scheduled-Time"], "2030-01-01T09:00:00Z")
        self.assertEqual(json.loads(body), {"order": 42, "note": "<b>ready</b>"})

    def test_without_scheduled_time_sends_no_such_header(self):
        handler({"url": self.base + "/", "payload": [1, 2]}, None)
        [(_, _, headers, body)] = self.server.requests
        self.assertNotIn("X-Scheduled-Time", headers)
        self.assertEqual(json.loads(body), [1, 2])

    def test_an_error_status_fails_the_invocation(self):
        self.server.status = 500
        with self.assertRaises(urllib.error.HTTPError) as raised:
            handler({"url": self.base + "/broken", "payload": {}}, None)
        self.assertEqual(raised.exception.code, 500)
        self.assertEqual(len(self.server.requests), 1)

    def test_an_unreachable_url_fails_the_invocation(self):
        # A port nobody listens on: this test's server, once closed.
        closed = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
        port = closed.server_address[1]
        closed.server_close()
        with self.assertRaises(urllib.error.URLError):
            handler({"url": f"http://127.0.0.1:{port}/", "payload": {}}, None)

    def test_only_http_and_https_urls_are_called(self):
        for url in ["file:///etc/passwd", "ftp://127.0.0.1/x", "127.0.0.1/x", None, 42]:
            with self.subTest(url=url), self.assertRaises(ValueError):
                handler({"url": url, "payload": {}}, None)
        self.assertEqual(self.server.requests, [])


if __name__ == "__main__":
    unittest.main()
