"""packaging/docker-compose.yml, read as YAML: PostgreSQL, a migration run once, two server
replicas over one database and one storage, nginx in front of both. Docker cannot pull images
on this machine, so the file is checked by reading it, not by running it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
REPLICAS = ("server-1", "server-2")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((PACKAGING / "docker-compose.yml").read_text())
    return loaded


def test_two_replicas_share_the_database_and_the_storage() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "migrate", *REPLICAS, "proxy"}
    for name in REPLICAS:
        server = services[name]
        assert server["command"][:2] == ["reviewer-server", "serve"]
        assert server["command"][server["command"].index("--host") + 1] == "0.0.0.0"
        env = server["environment"]
        assert re.fullmatch(
            r"postgresql://reviewer:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432/reviewer",
            env["DATABASE_URL"],
        )
        assert env["REVIEWER_STORAGE"] == "/storage" and int(env["REVIEWER_SERVER_WORKERS"]) > 1
        assert "storage:/storage" in server["volumes"]  # the one shared folder
        assert f"{name}-data:/data" in server["volumes"]  # a data folder of its own
        assert "/readyz" in " ".join(server["healthcheck"]["test"])
        assert server["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
        assert "ports" not in server  # reached only through the proxy
        assert (PACKAGING.parent / server["build"]["dockerfile"]).is_file()
    same = [services[n]["environment"]["DATABASE_URL"] for n in REPLICAS]
    assert same[0] == same[1] == services["migrate"]["environment"]["DATABASE_URL"]
    assert services["migrate"]["command"] == ["reviewer-server", "migrate"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    database = services["postgres"]
    assert database["environment"]["POSTGRES_DB"] == "reviewer"
    assert "pg_isready" in database["healthcheck"]["test"]
    declared = set(compose()["volumes"])
    used = {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}
    assert {v for v in used if not v.startswith(".")} == declared


def test_the_proxy_sends_requests_to_both_replicas() -> None:
    proxy = compose()["services"]["proxy"]
    assert proxy["ports"] == ["8080:80"]
    mount = proxy["volumes"][0].split(":")
    conf = (PACKAGING / mount[0]).read_text()
    assert mount[1] == "/etc/nginx/nginx.conf"
    upstream = re.search(r"upstream reviewer \{(.*?)\}", conf, re.DOTALL)
    assert upstream is not None
    assert re.findall(r"server (\S+):5000", upstream.group(1)) == list(REPLICAS)
    assert "proxy_pass http://reviewer;" in conf
    assert "proxy_next_upstream error timeout http_502 http_503;" in conf
    assert re.search(r"location = /metrics \{[^}]*deny all;", conf)
    assert set(proxy["depends_on"]) == set(REPLICAS)


def test_the_secrets_file_the_replicas_read_has_an_example() -> None:
    services = compose()["services"]
    assert {services[n]["env_file"] for n in REPLICAS} == {"reviewer.env"}
    example = (PACKAGING / "reviewer.env.example").read_text()
    for variable in ("API_AUTH_TOKEN", "JWT_PUBLIC_KEY", "AWS_ENDPOINT_URL"):
        assert re.search(rf"^#? ?{variable}=", example, re.MULTILINE)
