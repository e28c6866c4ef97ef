"""A real ``kg serve`` for the tests: a copy of the seed data plus an invented article, and
the server started as a user starts it (``kg serve --data DIR --port N``) on a free
127.0.0.1 port, stopped when the test is done."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.servers import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
NEW_ARTICLE = "005_qinghe.txt"
# Invented for these tests (no real news text): a subdistrict already in the seeds (锦南街道,
# its secretary 雷新钱) runs a new initiative, so a draft of it has entities to link.
NEW_TEXT = """\
锦南街道举办“企业服务日”活动 助力小微企业稳岗
2020-04-15 09:30  来源：临安新闻网

4月14日，临安区锦南街道在街道便民服务中心举办“企业服务日”活动，为辖区小微企业解读减税降费政策。
锦南街道党工委书记雷新钱介绍，街道组建了“稳岗服务队”，由12名机关干部组成，逐户走访辖区企业。
截至4月13日，服务队已走访企业86家，帮助企业解决用工、融资等问题31个。
杭州青禾纺织有限公司负责人周明说：“服务队上门后，我们的贷款很快就批下来了。”
下一步，锦南街道将继续推进“企业服务日”常态化，力争二季度走访企业实现全覆盖。
"""


def make_data(folder: Path) -> Path:
    """``folder/data``: the seed articles and fact files, and the new article (no facts)."""
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "articles" / NEW_ARTICLE).write_text(NEW_TEXT, "utf-8")
    return data


@dataclass
class Served:
    url: str
    data: Path
    process: subprocess.Popen
    csrf: str

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=120)

    def post(self, path: str, body: object, **headers: str) -> httpx.Response:
        sent = {"X-KG-CSRF": self.csrf, "Content-Type": "application/json", **headers}
        with self.client() as client:
            return client.post(path, json=body, headers=sent)


def kg_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from kg.cli import main; main()", *args]


@contextmanager
def serve(data: Path, *extra: str, attempts: int = 3) -> Iterator[Served]:
    """``kg serve`` on a free port; retried on another port if the first was taken."""
    for attempt in range(attempts):
        port = free_port()
        logs = data.parent / "logs"
        logs.mkdir(exist_ok=True)
        log = (logs / f"serve-{port}.log").open("wb")
        process = subprocess.Popen(
            kg_command("serve", "--data", str(data), "--port", str(port), *extra),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        url = f"http://127.0.0.1:{port}"
        try:
            page = _wait(url, process)
        except RuntimeError:
            stop(process)
            if attempt + 1 == attempts:
                raise
            continue
        csrf = page.split('name="kg-csrf" content="', 1)[-1].split('"', 1)[0]
        try:
            yield Served(url, data, process, csrf)
        finally:
            stop(process)
        return


def _wait(url: str, process: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kg serve exited with status {process.returncode}")
        try:
            response = httpx.get(f"{url}/reader", timeout=5)
            if response.status_code in (200, 401):  # 401: up, and wants its token
                return response.text
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"kg serve not ready at {url} after {timeout} s")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: to prove a request wrote nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
