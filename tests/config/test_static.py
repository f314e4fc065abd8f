"""The production static files: `collectstatic` with the manifest storage compose selects, then
pages rendered with DEBUG=0 through it (before the fix: "Missing staticfiles manifest entry" on
every page, and collectstatic failing on the vendor source maps)."""

import subprocess
import sys

from tests.config.production import build_like_the_image, production_env, run_python

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_collectstatic_with_the_manifest_storage_then_pages_render_with_debug_off(
    tmp_path, production_db
) -> None:
    app = build_like_the_image(tmp_path / "app")
    run = tmp_path / "run"
    run.mkdir()
    env = {"STATICFILES_STORAGE": MANIFEST, "ALLOWED_HOSTS": "testserver"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=app,
        env=production_env(run, PYTHONPATH=str(app), **env),
        check=True,
        timeout=300,
    )
    assert (app / "staticfiles" / "staticfiles.json").exists()

    result = run_python(
        """
        import re
        from django.test import Client
        from tests.factories import UserFactory, role

        client = Client()
        login = client.get("/accounts/login/")
        print("login", login.status_code)
        client.force_login(UserFactory(username="supervisor", role=role("supervisor")))
        for url in ["/", "/customers/", "/jobs/scheduled/", "/no-such-page/"]:
            page = client.get(url)
            print(url, page.status_code)
        client.force_login(UserFactory(username="admin", role=role("admin")))
        print("admin", client.get("/jobs/scheduled/").status_code)
        css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\\.min\\.[0-9a-f]{12}\\.css)"',
                        login.content.decode())
        print("hashed", bool(css))
        served = client.get(css.group(1))
        body = b"".join(served.streaming_content)
        print("served", served.status_code, b"sourceMappingURL" in body)
        """,
        run,
        production_db,
        root=app,
        **env,
    )
    assert result.stdout.split() == [
        "login", "200",
        "/", "200",
        "/customers/", "200",
        "/jobs/scheduled/", "403",
        "/no-such-page/", "404",
        "admin", "200",
        "hashed", "True",
        "served", "200", "False",
    ], result.stderr  # fmt: skip
