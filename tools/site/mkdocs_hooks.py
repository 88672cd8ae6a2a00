# SPDX-License-Identifier: MIT
# MkDocs hooks of the reference site (listed under `hooks:` in every generated mkdocs.yml):
# what makes site/ publishable anywhere.
# - on_config: "<extra.project> <version>" in the footer, the version read from extra.version_file
#   (VERSION); SITE_URL (environment) as site_url, so sitemap.xml lists real URLs; extra.changelog
#   (CHANGELOG.md) in the nav. Files are named relative to the repository root; a site of another
#   project (mk/foreign.mk) sets them to null.
# - on_files: site/ holds only the site: docs/Doxyfile, docs/tags.yml and docs/sphinx/ (inputs of
#   other builds) and Material's search assets (its search plugin is off) stay out; the changelog
#   at the repository root becomes CHANGELOG.html; the api.json named by APIDOC_API_JSON
#   (environment) is published as api.json at the root of the site, linked from the home page.
# - on_post_page: the indentation of Material's templates squeezed out of every page (a run of
#   blanks holding a line break becomes one line break, which renders the same), except inside
#   elements whose whitespace is kept (pre, code, textarea, script, style): ~4.5 KB off each page.
# - on_post_build: 404.html made independent of where the site is served (a sub-path such as
#   /alloc/ included).
import json
import os
import re
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[2]
LEFT_OUT = ("Doxyfile", "tags.yml", "sphinx/", "assets/javascripts/lunr/", "assets/javascripts/workers/search")


def project_file(config, key):
    """The file named by extra.<key> (relative to the repository root), or None when unset."""
    name = (config.get("extra") or {}).get(key)
    return ROOT / name if name and (ROOT / name).exists() else None


def on_config(config):
    url = os.environ.get("SITE_URL", "").strip()
    if url:
        config["site_url"] = url if url.endswith("/") else url + "/"
    version = project_file(config, "version_file")
    if version:
        config["copyright"] = f"{config['extra'].get('project', '')} {version.read_text(encoding='utf-8').strip()}".strip()
    if project_file(config, "changelog") and isinstance(config.get("nav"), list):
        if not any(isinstance(item, dict) and "Changelog" in item for item in config["nav"]):
            config["nav"].append({"Changelog": config["extra"]["changelog"]})
    return config


def on_files(files, config):
    for f in list(files):
        if f.src_uri.startswith(LEFT_OUT):
            files.remove(f)
    changelog = project_file(config, "changelog")
    if changelog and not files.get_file_from_path(config["extra"]["changelog"]):
        files.append(File(config["extra"]["changelog"], str(ROOT), config["site_dir"], config["use_directory_urls"]))
    api = os.environ.get("APIDOC_API_JSON")
    if api:
        api = Path(api).resolve()
        if api.name != "api.json":
            raise ValueError(f"APIDOC_API_JSON must name a file called api.json, not {api}")
        files.append(File("api.json", str(api.parent), config["site_dir"], config["use_directory_urls"]))
    return files


KEPT = re.compile(r"(<(pre|code|textarea|script|style)\b.*?</\2>)", re.S | re.I)
BLANKS = re.compile(r"[ \t\r]*\n\s*")


def on_post_page(output, page, config):
    parts = KEPT.split(output)  # text, kept element, its tag name, text, ...
    return "".join(BLANKS.sub("\n", part) if i % 3 == 0 else part for i, part in enumerate(parts) if i % 3 != 2)


# Run first in 404.html: a <base> at the root of the site, found from the requested path (the
# first segment naming one of the site's top-level directories, else the requested directory),
# so that the page's links, which the hook makes relative, resolve wherever the site is served.
BASE_SCRIPT = """<script>(function () {
  var dirs = %s, at = location.pathname.split("/"), root = null;
  for (var i = 1; i < at.length - 1 && root === null; i++) if (dirs.indexOf(at[i]) >= 0) root = at.slice(0, i).join("/") + "/";
  if (root === null) root = at.slice(0, at.length - 1).join("/") + "/";
  var base = document.createElement("base");
  base.href = root;
  document.head.appendChild(base);
})();</script>"""


def on_post_build(config):
    site = Path(config["site_dir"])
    page = site / "404.html"
    if not page.exists():
        return
    base = re.sub(r"^[a-z]+://[^/]*", "", config.get("site_url") or "/") or "/"
    html = page.read_text(encoding="utf-8")
    html = re.sub(r'((?:href|src)=")' + re.escape(base), r"\1", html)
    html = html.replace('"base": "%s"' % base, '"base": "."')
    html = html.replace('new URL("%s",location)' % base, "new URL(document.baseURI)")
    dirs = sorted(p.name for p in site.iterdir() if p.is_dir())
    charset = '<meta charset="utf-8">'
    html = html.replace(charset, charset + BASE_SCRIPT % json.dumps(dirs), 1)
    page.write_text(html, encoding="utf-8")
