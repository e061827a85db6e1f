"""Adversarial probes of the evidence pass: repositories whose production code really loads
the alert's package, written so that a naive scan would settle the alert.

Every test asserts the safe outcome: when production code loads the package, the answer is
never `not_used`, `test_only` or `manifest_gone` (those let automation dismiss the alert on
GitHub). Probes that found a real false settle are kept as strict xfails naming the cause,
so that fixing the cause turns them into ordinary regression tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from secagent_tui.pipeline.sandbox.evidence import Evidence, Usage, collect_evidence

SETTLED = frozenset({Usage.NOT_USED, Usage.TEST_ONLY, Usage.MANIFEST_GONE})


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def evidence(
    root: Path, files: dict[str, str | bytes], ecosystem: str, package: str, **kwargs: object
) -> Evidence:
    write(root, files)
    return collect_evidence(root, ecosystem, package, **kwargs)  # type: ignore[arg-type]


def assert_not_settled(ev: Evidence) -> None:
    assert ev.usage not in SETTLED, (ev.usage, ev.reasons)


def package_json(deps: dict[str, str], dev: dict[str, str] | None = None, **extra: object) -> str:
    body: dict[str, object] = {"name": "app", "version": "1.0.0", "dependencies": deps}
    if dev:
        body["devDependencies"] = dev
    body.update(extra)
    return json.dumps(body, indent=2)


YAML_REQ = {"requirements.txt": "PyYAML==5.3.1\n"}
# A locked project: the graph knows PyYAML, so nothing but the scan stands between the
# repository and a settled answer (what the test-path probes need).
YAML_LOCKED = {
    "pyproject.toml": (
        '[tool.poetry]\nname = "svc"\nversion = "0.1.0"\n\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\nPyYAML = "5.3.1"\n'
    ),
    "poetry.lock": (
        '[[package]]\nname = "pyyaml"\nversion = "5.3.1"\ndescription = ""\n'
        'optional = false\npython-versions = "*"\n'
    ),
}
SNAKEYAML_POM = """<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.acme</groupId>
  <artifactId>bank</artifactId>
  <version>1.0</version>
  <dependencies>
    <dependency>
      <groupId>org.yaml</groupId>
      <artifactId>snakeyaml</artifactId>
      <version>1.33</version>
    </dependency>
  </dependencies>
</project>
"""
SNAKEYAML_USE = """package com.acme.bank;

import org.yaml.snakeyaml.Yaml;

public class {cls} {{
    public Object load(String text) {{
        return new Yaml().load(text);
    }}
}}
"""
NOKOGIRI_GEMFILE = 'source "https://rubygems.org"\n\ngem "nokogiri", require: false\n'
NOKOGIRI_LOCKED = {
    "Gemfile": NOKOGIRI_GEMFILE,
    "Gemfile.lock": (
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.13.0)\n"
        "      racc (~> 1.4)\n    racc (1.6.0)\n\nPLATFORMS\n  ruby\n\n"
        "DEPENDENCIES\n  nokogiri\n"
    ),
}


# ---------------------------------------------------------------- test-path classification


def test_java_production_class_ending_in_it_is_not_an_integration_test(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "pom.xml": SNAKEYAML_POM,
            "src/main/java/com/acme/bank/Audit.java": SNAKEYAML_USE.format(cls="Audit"),
        },
        "maven",
        "org.yaml:snakeyaml",
    )
    assert_not_settled(ev)


def test_java_production_class_ending_in_test_letters_is_not_a_test(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "pom.xml": SNAKEYAML_POM,
            "src/main/java/com/acme/bank/Interest.java": SNAKEYAML_USE.format(cls="Interest"),
        },
        "maven",
        "org.yaml:snakeyaml",
    )
    assert_not_settled(ev)


def test_maven_never_settles_without_a_dependency_graph(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "pom.xml": SNAKEYAML_POM,
            "src/main/java/com/acme/bank/App.java": "package com.acme.bank;\nclass App {}\n",
            "src/test/java/com/acme/bank/YamlTest.java": SNAKEYAML_USE.format(cls="YamlTest"),
        },
        "maven",
        "org.yaml:snakeyaml",
    )
    assert ev.usage is Usage.MAYBE_USED
    assert ev.test_uses == ["src/test/java/com/acme/bank/YamlTest.java:3"]


def test_java_production_class_ending_in_it_is_not_listed_as_test_use(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "pom.xml": SNAKEYAML_POM,
            "src/main/java/com/acme/bank/Audit.java": SNAKEYAML_USE.format(cls="Audit"),
        },
        "maven",
        "org.yaml:snakeyaml",
    )
    assert ev.test_uses == []
    assert ev.imports


def test_python_import_only_under_tests_is_test_only(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {**YAML_LOCKED, "svc/app.py": "print('hi')\n", "tests/test_conf.py": "import yaml\n"},
        "pip",
        "PyYAML",
    )
    assert ev.usage is Usage.TEST_ONLY


def test_ruby_require_only_under_spec_is_test_only(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            **NOKOGIRI_LOCKED,
            "app/models/user.rb": "class User; end\n",
            "spec/xml_spec.rb": 'require "nokogiri"\n',
        },
        "rubygems",
        "nokogiri",
    )
    assert ev.usage is Usage.TEST_ONLY


def test_rails_app_features_folder_is_production_code(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            **NOKOGIRI_LOCKED,
            "app/features/invoices/import.rb": (
                'require "nokogiri"\n\nmodule Invoices\n  class Import\n'
                "    def call(xml) = Nokogiri::XML(xml)\n  end\nend\n"
            ),
        },
        "rubygems",
        "nokogiri",
    )
    assert_not_settled(ev)


def test_rails_model_named_spec_is_production_code(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            **NOKOGIRI_LOCKED,
            "app/models/product_spec.rb": (
                'require "nokogiri"\n\nclass ProductSpec < ApplicationRecord\n'
                "  def sheet = Nokogiri::XML(datasheet)\nend\n"
            ),
        },
        "rubygems",
        "nokogiri",
    )
    assert_not_settled(ev)


def test_python_module_named_openapi_spec_is_production_code(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            **YAML_LOCKED,
            "app/__init__.py": "",
            "app/openapi_spec.py": "import yaml\n\n\ndef spec():\n    return yaml.safe_load(SRC)\n",
            "app/main.py": "from .openapi_spec import spec\n",
        },
        "pip",
        "PyYAML",
    )
    assert_not_settled(ev)


def test_python_ab_test_module_is_production_code(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            **YAML_LOCKED,
            "app/experiments/ab_test.py": (
                "import yaml\n\nVARIANTS = yaml.safe_load(open('variants.yml'))\n"
            ),
            "app/main.py": "from app.experiments.ab_test import VARIANTS\n",
        },
        "pip",
        "PyYAML",
    )
    assert_not_settled(ev)


def test_python_spec_package_of_an_api_is_production_code(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            **YAML_LOCKED,
            "api/spec/__init__.py": "import yaml\n\nSPEC = yaml.safe_load(open('openapi.yml'))\n",
            "api/app.py": "from api.spec import SPEC\n",
        },
        "pip",
        "PyYAML",
    )
    assert_not_settled(ev)


def test_python_testing_helpers_package_is_production_code(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            **YAML_LOCKED,
            "mylib/testing/__init__.py": "import yaml\n",
            "mylib/test_utils.py": "",
        },
        "pip",
        "PyYAML",
    )
    assert ev.usage is Usage.USED


def test_js_contest_module_is_production_code(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "package.json": package_json({"lodash": "^4.17.20"}),
            "src/contest.js": "const _ = require('lodash');\nmodule.exports = _.shuffle;\n",
            "src/latest.ts": "export {};\n",
        },
        "npm",
        "lodash",
    )
    assert ev.usage is Usage.USED


def test_go_file_with_test_in_its_name_is_production_code(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "go.mod": "module example.com/a\n\ngo 1.22\n\nrequire golang.org/x/crypto v0.1.0\n",
            "internal/attestation/attest_test_vectors.go": (
                'package attestation\n\nimport "golang.org/x/crypto/ed25519"\n\n'
                "var _ = ed25519.PublicKeySize\n"
            ),
        },
        "go",
        "golang.org/x/crypto",
    )
    assert ev.usage is Usage.USED


def test_production_symlink_to_a_file_under_tests_is_production_use(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            **YAML_LOCKED,
            "tests/support/loader.py": "import yaml\n\nload = yaml.safe_load\n",
            "app/__init__.py": "",
        },
    )
    os.symlink("../tests/support/loader.py", tmp_path / "app/loader.py")
    ev = collect_evidence(tmp_path, "pip", "PyYAML")
    assert_not_settled(ev)


# ---------------------------------------------------------------- Python import forms


@pytest.mark.parametrize(
    "code",
    [
        "import yaml as y\n",
        "import os, yaml\n",
        "import os, \\\n    yaml\n",
        "from yaml import (\n    safe_load,\n    dump,\n)\n",
        "yaml = __import__('yaml')\n",
        "import importlib\nyaml = importlib.import_module('yaml')\n",
        "import sys\nyaml = sys.modules.get('yaml') or None\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import yaml\n",
        "exec('import yaml')\n",
        "import pkgutil\nfor m in pkgutil.iter_modules():\n"
        "    if m.name == 'yaml':\n        pass\n",
        "try:\n    from yaml import CSafeLoader as Loader\nexcept ImportError:\n    pass\n",
        "import yaml.constructor\n",
        "\ufeffimport yaml\r\nyaml.safe_load('a: 1')\r\n",
    ],
)
def test_python_import_forms_are_not_settled(tmp_path: Path, code: str) -> None:
    ev = evidence(tmp_path, {**YAML_LOCKED, "app/conf.py": code}, "pip", "PyYAML")
    assert_not_settled(ev)


def test_python_cython_module_cimport_is_use(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "requirements.txt": "numpy==1.21.0\n",
            "fast/kernels.pyx": "cimport numpy as cnp\nimport numpy as np\n",
        },
        "pip",
        "numpy",
    )
    assert ev.usage is Usage.USED


def test_python_notebook_json_escaped_import_is_use(tmp_path: Path) -> None:
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "source": ["import yaml\n", "cfg = yaml.safe_load(open('c.yml'))\n"],
            }
        ],
        "nbformat": 4,
    }
    ev = evidence(
        tmp_path, {**YAML_LOCKED, "notebooks/report.ipynb": json.dumps(notebook)}, "pip", "PyYAML"
    )
    assert ev.usage is Usage.USED


def test_python_utf16_source_is_searched(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {**YAML_LOCKED, "tools/export.py": "import yaml\n".encode("utf-16")},
        "pip",
        "PyYAML",
    )
    assert_not_settled(ev)


def test_python_dash_m_in_dockerfile_is_not_settled(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "requirements.txt": "celery==5.2.0\n",
            "app/tasks.py": "def add(a, b):\n    return a + b\n",
            "Dockerfile": 'CMD ["python", "-m", "celery", "-A", "app.tasks", "worker"]\n',
        },
        "pip",
        "celery",
    )
    assert_not_settled(ev)


def test_python_setup_py_that_imports_at_install_time_is_not_settled(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "setup.py": (
                "import yaml\nfrom setuptools import setup\n\n"
                "setup(name='svc', install_requires=['PyYAML'])\n"
            ),
            "svc/__init__.py": "",
        },
        "pip",
        "PyYAML",
    )
    assert_not_settled(ev)


def test_python_package_name_case_in_requirements_does_not_matter(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {"requirements.txt": "pyyaml==5.3.1\n", "app.py": "from yaml import safe_load\n"},
        "pip",
        "PyYAML",
    )
    assert ev.usage is Usage.USED


def test_python_ruamel_yaml_is_not_pyyaml_but_pyyaml_import_elsewhere_is(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "requirements.txt": "PyYAML==5.3.1\nruamel.yaml==0.17\n",
            "a.py": "from ruamel.yaml import YAML\n",
            "b.py": "import yaml\n",
        },
        "pip",
        "PyYAML",
    )
    assert ev.usage is Usage.USED


# ---------------------------------------------------------------- Python dependency graph


FASTAPI_PYPROJECT = """[tool.poetry]
name = "svc"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.11"
fastapi = "^0.115"
python-multipart = "^0.0.9"
"""
FASTAPI_POETRY_LOCK = """[[package]]
name = "fastapi"
version = "0.115.5"
description = "FastAPI framework"
optional = false
python-versions = ">=3.8"

[package.dependencies]
pydantic = ">=1.7.4"
starlette = ">=0.40.0,<0.42.0"

[package.extras]
all = ["email-validator (>=2.0.0)", "python-multipart (>=0.0.7)", "jinja2 (>=2.11.2)"]

[[package]]
name = "pydantic"
version = "2.9.2"
description = ""
optional = false
python-versions = ">=3.8"

[[package]]
name = "starlette"
version = "0.41.3"
description = ""
optional = false
python-versions = ">=3.8"

[[package]]
name = "python-multipart"
version = "0.0.9"
description = "A streaming multipart parser for Python"
optional = false
python-versions = ">=3.8"
"""


def test_python_direct_optional_package_loaded_by_framework_is_not_settled(
    tmp_path: Path,
) -> None:
    ev = evidence(
        tmp_path,
        {
            "pyproject.toml": FASTAPI_PYPROJECT,
            "poetry.lock": FASTAPI_POETRY_LOCK,
            "svc/main.py": (
                "from fastapi import FastAPI, Form\n\napp = FastAPI()\n\n\n"
                "@app.post('/login')\ndef login(user: str = Form()):\n    return user\n"
            ),
        },
        "pip",
        "python-multipart",
    )
    assert_not_settled(ev)


TOOLS_PYPROJECT = """[tool.poetry]
name = "release-tools"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.11"

[tool.poetry.group.dev.dependencies]
twine = "^4"
"""
TOOLS_POETRY_LOCK = """[[package]]
name = "twine"
version = "4.0.2"
description = ""
optional = false
python-versions = ">=3.7"
groups = ["dev"]

[package.dependencies]
requests = ">=2.20"

[[package]]
name = "requests"
version = "2.31.0"
description = ""
optional = false
python-versions = ">=3.7"
groups = ["dev"]

[package.dependencies]
urllib3 = ">=1.21.1,<3"

[[package]]
name = "urllib3"
version = "1.26.5"
description = ""
optional = false
python-versions = ">=3.7"
groups = ["dev"]
"""


def test_python_monorepo_dev_lock_of_one_project_does_not_settle_another(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "tools/pyproject.toml": TOOLS_PYPROJECT,
            "tools/poetry.lock": TOOLS_POETRY_LOCK,
            "service/requirements.txt": "requests==2.31.0\nurllib3==1.26.5\n",
            "service/app.py": "import requests\n\nrequests.get('https://example.com')\n",
        },
        "pip",
        "urllib3",
        manifest_path="service/requirements.txt",
    )
    assert_not_settled(ev)


def test_python_poetry_group_named_main_is_production(tmp_path: Path) -> None:
    pyproject = TOOLS_PYPROJECT.replace("group.dev.", "group.main.")
    lock = TOOLS_POETRY_LOCK.replace('groups = ["dev"]', 'groups = ["main"]')
    ev = evidence(
        tmp_path,
        {
            "pyproject.toml": pyproject,
            "poetry.lock": lock,
            "release.py": "import twine\n",
        },
        "pip",
        "urllib3",
    )
    assert_not_settled(ev)


def test_python_transitive_package_of_used_dependency_is_reachable(tmp_path: Path) -> None:
    pyproject = TOOLS_PYPROJECT.replace("[tool.poetry.group.dev.dependencies]\n", "")
    lock = TOOLS_POETRY_LOCK.replace('groups = ["dev"]', 'groups = ["main"]')
    ev = evidence(
        tmp_path,
        {"pyproject.toml": pyproject, "poetry.lock": lock, "upload.py": "import twine\n"},
        "pip",
        "urllib3",
    )
    assert ev.usage is Usage.MAYBE_USED
    assert ev.reachable_through


# ---------------------------------------------------------------- npm


@pytest.mark.parametrize(
    "code",
    [
        "const m = await import(`lodash`);\n",
        "const p = require.resolve('lodash');\n",
        "import { createRequire } from 'module';\nconst r = createRequire(import.meta.url);\n"
        "const _ = r('lodash');\n",
        "import _ = require('lodash');\n",
        "export { default as merge } from 'lodash/merge';\n",
        "const w = new Worker(new URL('lodash/worker.js', import.meta.url));\n",
        "define(['lodash'], function (_) { return _; });\n",
    ],
)
def test_js_import_forms_are_use(tmp_path: Path, code: str) -> None:
    ev = evidence(
        tmp_path,
        {"package.json": package_json({"lodash": "^4.17.20"}), "src/index.ts": code},
        "npm",
        "lodash",
    )
    assert ev.usage is Usage.USED


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        (
            "public/index.html",
            '<script src="https://unpkg.com/lodash@4.17.20/lodash.min.js"></script>\n',
        ),
        ("src/styles/main.css", "@import '~bootstrap/dist/css/bootstrap.css';\n"),
        ("src/styles/main.scss", '@use "bootstrap/scss/bootstrap";\n'),
        ("webpack.config.js", "module.exports = { externals: { bootstrap: 'bootstrap' } };\n"),
        ("dist/bundle.js.map", json.dumps({"sourcesContent": ['import x from "bootstrap";']})),
        ("Procfile", "web: node -r bootstrap/register server.js\n"),
    ],
)
def test_js_non_code_loads_are_not_settled(tmp_path: Path, rel: str, text: str) -> None:
    ev = evidence(
        tmp_path,
        {
            "package.json": package_json({"bootstrap": "^4.0.0"}),
            "src/index.js": "console.log('hi');\n",
            rel: text.replace("lodash", "bootstrap"),
        },
        "npm",
        "bootstrap",
    )
    assert_not_settled(ev)


def test_js_lodash_es_import_is_not_lodash_use_but_lodash_elsewhere_is(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "package.json": package_json({"lodash": "^4", "lodash-es": "^4"}),
            "src/a.js": "import { merge } from 'lodash-es';\n",
            "src/b.js": "const get = require('lodash/get');\n",
        },
        "npm",
        "lodash",
    )
    assert ev.usage is Usage.USED
    assert ev.imports == ["src/b.js:1"]


def test_js_scoped_package_name_is_matched_literally(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "package.json": package_json({"@babel/runtime": "^7.0.0"}),
            "src/index.js": (
                "import _asyncToGenerator from '@babel/runtime/helpers/asyncToGenerator';\n"
            ),
        },
        "npm",
        "@babel/runtime",
    )
    assert ev.usage is Usage.USED


def test_js_workspace_member_importing_the_package_is_use(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "package.json": json.dumps(
                {"name": "mono", "private": True, "workspaces": ["packages/*"]}
            ),
            "packages/api/package.json": package_json({"lodash": "^4"}),
            "packages/api/src/index.js": "module.exports = require('lodash').merge;\n",
        },
        "npm",
        "lodash",
    )
    assert ev.usage is Usage.USED


WS_PACKAGE_JSON = package_json({"ws": "^8.16.0", "bufferutil": "^4.0.8"})
WS_YARN_LOCK = """# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


bufferutil@^4.0.8:
  version "4.0.8"
  resolved "https://registry.yarnpkg.com/bufferutil/-/bufferutil-4.0.8.tgz"
  integrity sha512-aaaa
  dependencies:
    node-gyp-build "^4.3.0"

node-gyp-build@^4.3.0:
  version "4.8.0"
  resolved "https://registry.yarnpkg.com/node-gyp-build/-/node-gyp-build-4.8.0.tgz"
  integrity sha512-bbbb

ws@^8.16.0:
  version "8.16.0"
  resolved "https://registry.yarnpkg.com/ws/-/ws-8.16.0.tgz"
  integrity sha512-cccc
"""


def test_js_direct_optional_peer_of_used_dependency_is_not_settled(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "package.json": WS_PACKAGE_JSON,
            "yarn.lock": WS_YARN_LOCK,
            "server.js": "const { WebSocketServer } = require('ws');\n"
            "new WebSocketServer({ port: 8080 });\n",
        },
        "npm",
        "bufferutil",
    )
    assert_not_settled(ev)


def test_js_direct_package_without_lockfile_is_not_settled(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "package.json": WS_PACKAGE_JSON,
            "server.js": "const { WebSocketServer } = require('ws');\n",
        },
        "npm",
        "bufferutil",
    )
    assert_not_settled(ev)


def test_js_peer_edge_in_package_lock_v3_is_followed(tmp_path: Path) -> None:
    lock = {
        "name": "app",
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "app", "dependencies": {"ws": "^8.16.0", "bufferutil": "^4.0.8"}},
            "node_modules/bufferutil": {"version": "4.0.8"},
            "node_modules/ws": {
                "version": "8.16.0",
                "peerDependencies": {"bufferutil": "^4.0.1"},
                "peerDependenciesMeta": {"bufferutil": {"optional": True}},
            },
        },
    }
    ev = evidence(
        tmp_path,
        {
            "package.json": WS_PACKAGE_JSON,
            "package-lock.json": json.dumps(lock),
            "server.js": "require('ws');\n",
        },
        "npm",
        "bufferutil",
    )
    assert_not_settled(ev)


def test_js_used_dependency_with_optional_edge_in_lock_reaches_package(tmp_path: Path) -> None:
    lock = {
        "name": "app",
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "app", "dependencies": {"chokidar": "^3"}},
            "node_modules/chokidar": {
                "version": "3.5.3",
                "optionalDependencies": {"fsevents": "~2.3"},
            },
            "node_modules/fsevents": {"version": "2.3.2", "optional": True},
        },
    }
    ev = evidence(
        tmp_path,
        {
            "package.json": package_json({"chokidar": "^3"}),
            "package-lock.json": json.dumps(lock),
            "watch.js": "require('chokidar').watch('.');\n",
        },
        "npm",
        "fsevents",
    )
    assert_not_settled(ev)


def test_js_monorepo_dev_lock_of_tools_does_not_settle_web_app(tmp_path: Path) -> None:
    tools_lock = {
        "name": "tools",
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "tools", "devDependencies": {"supertest": "^6"}},
            "node_modules/supertest": {
                "version": "6.3.3",
                "dev": True,
                "dependencies": {"qs": "^6"},
            },
            "node_modules/qs": {"version": "6.5.2", "dev": True},
        },
    }
    ev = evidence(
        tmp_path,
        {
            "tools/package.json": package_json({}, dev={"supertest": "^6"}),
            "tools/package-lock.json": json.dumps(tools_lock),
            "web/package.json": package_json({"express": "^4.18.2", "qs": "6.5.2"}),
            "web/server.js": "const express = require('express');\nexpress().listen(3000);\n",
        },
        "npm",
        "qs",
        manifest_path="web/package.json",
    )
    assert_not_settled(ev)


def test_js_deleted_lockfile_with_package_json_still_using_parent_is_not_stale(
    tmp_path: Path,
) -> None:
    ev = evidence(
        tmp_path,
        {
            "package.json": package_json({"express": "^4.18.2"}),
            "server.js": "const express = require('express');\nexpress().listen(3000);\n",
        },
        "npm",
        "qs",
        manifest_path="package-lock.json",
    )
    assert_not_settled(ev)


def test_js_dev_flag_in_lock_but_runtime_in_package_json_is_not_dev(tmp_path: Path) -> None:
    lock = {
        "name": "app",
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "app", "dependencies": {"express": "^4"}},
            "node_modules/express": {"version": "4.18.2", "dev": True, "dependencies": {"qs": "6"}},
            "node_modules/qs": {"version": "6.5.2", "dev": True},
        },
    }
    ev = evidence(
        tmp_path,
        {
            "package.json": package_json({"express": "^4"}),
            "package-lock.json": json.dumps(lock),
            "server.js": "require('express')().listen(3000);\n",
        },
        "npm",
        "qs",
    )
    assert_not_settled(ev)


def test_js_npm_alias_is_followed(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "package.json": package_json({"lodash4": "npm:lodash@^4.17.20"}),
            "src/index.js": "const _ = require('lodash4');\n",
        },
        "npm",
        "lodash",
    )
    assert ev.usage is Usage.USED


LODASH_LOCK = json.dumps(
    {
        "name": "app",
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "app", "dependencies": {"lodash": "^4.17.20"}},
            "node_modules/lodash": {"version": "4.17.20"},
        },
    }
)


def test_js_ab_test_module_with_lockfile_is_production_code(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "package.json": package_json({"lodash": "^4.17.20"}),
            "package-lock.json": LODASH_LOCK,
            "src/experiments/ab_test.js": "module.exports = require('lodash').sample;\n",
        },
        "npm",
        "lodash",
    )
    assert_not_settled(ev)


def test_js_import_only_in_jest_test_is_test_only(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "package.json": package_json({"lodash": "^4.17.20"}),
            "package-lock.json": LODASH_LOCK,
            "src/index.js": "module.exports = 1;\n",
            "src/index.test.js": "const _ = require('lodash');\n",
        },
        "npm",
        "lodash",
    )
    assert ev.usage is Usage.TEST_ONLY


def test_js_test_named_production_file_ab_test_is_not_test_only(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "package.json": package_json({"lodash": "^4"}),
            "src/experiments/abtest.js": "module.exports = require('lodash').sample;\n",
        },
        "npm",
        "lodash",
    )
    assert ev.usage is Usage.USED


# ---------------------------------------------------------------- Java / Kotlin


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        ("src/main/java/a/A.java", "import static org.yaml.snakeyaml.DumperOptions.FlowStyle.*;\n"),
        ("src/main/java/a/A.java", "import org.yaml.snakeyaml.*;\n"),
        ("src/main/kotlin/a/A.kt", "import org.yaml.snakeyaml.Yaml as SnakeYaml\n"),
        ("src/main/java/a/A.java", "@Bean Object y() { return new org.yaml.snakeyaml.Yaml(); }\n"),
        (
            "src/main/resources/applicationContext.xml",
            '<bean id="yaml" class="org.yaml.snakeyaml.Yaml"/>\n',
        ),
        (
            "src/main/resources/META-INF/services/com.acme.Parser",
            "org.yaml.snakeyaml.Yaml\n",
        ),
        ("src/main/java/a/A.java", 'Class<?> c = Class.forName("org.yaml.snakeyaml.Yaml");\n'),
    ],
)
def test_java_load_forms_are_use(tmp_path: Path, rel: str, text: str) -> None:
    ev = evidence(tmp_path, {"pom.xml": SNAKEYAML_POM, rel: text}, "maven", "org.yaml:snakeyaml")
    assert ev.usage is Usage.USED


def test_maven_coordinates_case_does_not_hide_declaration(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "pom.xml": SNAKEYAML_POM.replace("snakeyaml</artifactId>", "SnakeYAML</artifactId>"),
            "src/main/java/a/A.java": "import org.yaml.snakeyaml.Yaml;\n",
        },
        "maven",
        "org.yaml:snakeyaml",
    )
    assert ev.usage is Usage.USED


def test_gradle_version_catalog_declared_and_used(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "gradle/libs.versions.toml": '[libraries]\nsnakeyaml = "org.yaml:snakeyaml:1.33"\n',
            "build.gradle.kts": "dependencies { implementation(libs.snakeyaml) }\n",
            "src/main/kotlin/App.kt": "import org.yaml.snakeyaml.Yaml\n",
        },
        "maven",
        "org.yaml:snakeyaml",
    )
    assert ev.usage is Usage.USED


# ---------------------------------------------------------------- Go


@pytest.mark.parametrize(
    "imports",
    [
        'import yaml "gopkg.in/yaml.v3"\n',
        'import . "gopkg.in/yaml.v3"\n',
        'import (\n\t"fmt"\n\t_ "gopkg.in/yaml.v3"\n)\n',
        '//go:build linux\n\npackage main\n\nimport "gopkg.in/yaml.v3"\n',
    ],
)
def test_go_import_forms_are_use(tmp_path: Path, imports: str) -> None:
    ev = evidence(
        tmp_path,
        {
            "go.mod": "module example.com/a\n\ngo 1.22\n\nrequire gopkg.in/yaml.v3 v3.0.0\n",
            "main.go": imports if imports.startswith("//") else "package main\n\n" + imports,
        },
        "go",
        "gopkg.in/yaml.v3",
    )
    assert ev.usage is Usage.USED


def test_go_module_path_case_is_folded(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "go.mod": "module example.com/a\n\nrequire github.com/sirupsen/logrus v1.8.0\n",
            "main.go": 'package main\n\nimport log "github.com/sirupsen/logrus"\n',
        },
        "go",
        "github.com/Sirupsen/logrus",
    )
    assert ev.usage is Usage.USED


def test_go_hand_pinned_requirement_used_by_a_dependency_is_not_settled(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "go.mod": (
                "module example.com/a\n\ngo 1.21\n\nrequire (\n"
                "\tgoogle.golang.org/grpc v1.58.3\n"
                "\tgolang.org/x/net v0.17.0\n)\n"
            ),
            "main.go": (
                'package main\n\nimport "google.golang.org/grpc"\n\nvar _ = grpc.NewServer\n'
            ),
        },
        "go",
        "golang.org/x/net",
    )
    assert_not_settled(ev)


def test_go_indirect_requirement_is_not_settled(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "go.mod": (
                "module example.com/a\n\nrequire (\n\tgoogle.golang.org/grpc v1.58.3\n"
                "\tgolang.org/x/net v0.17.0 // indirect\n)\n"
            ),
            "main.go": 'package main\n\nimport "google.golang.org/grpc"\n',
        },
        "go",
        "golang.org/x/net",
    )
    assert_not_settled(ev)


# ---------------------------------------------------------------- Ruby


def test_ruby_bundler_require_production_group_loads_gem(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "Gemfile": 'source "https://rubygems.org"\n\ngroup :production do\n  gem "oj"\nend\n',
            "config/application.rb": "require 'bundler'\nBundler.require(:default, :production)\n",
        },
        "rubygems",
        "oj",
    )
    assert ev.usage is Usage.USED


def test_ruby_custom_require_path_in_gemfile_is_followed(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "Gemfile": 'gem "redcarpet", require: false\n',
            "lib/render.rb": "require 'redcarpet/compat'\n",
        },
        "rubygems",
        "redcarpet",
    )
    assert ev.usage is Usage.USED


def test_ruby_require_relative_into_vendored_gem_copy_is_not_settled(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "Gemfile": 'gem "redcarpet", require: false\n',
            "vendor/gems/redcarpet-3.5.0/lib/redcarpet.rb": "module Redcarpet; end\n",
            "lib/render.rb": "require_relative '../vendor/gems/redcarpet-3.5.0/lib/redcarpet'\n",
        },
        "rubygems",
        "redcarpet",
    )
    assert_not_settled(ev)


def test_ruby_autoload_is_use(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "Gemfile": 'gem "redcarpet", require: false\n',
            "lib/render.rb": "autoload :Redcarpet, 'redcarpet'\n",
        },
        "rubygems",
        "redcarpet",
    )
    assert ev.usage is Usage.USED


def test_ruby_gem_in_staging_group_is_production(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {
            "Gemfile": 'group :staging, :production do\n  gem "oj"\nend\n',
            "config/application.rb": "Bundler.require(*Rails.groups)\n",
        },
        "rubygems",
        "oj",
    )
    assert ev.usage is Usage.USED


# ---------------------------------------------------------------- files and names


def test_file_over_the_size_bound_is_not_settled(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {**YAML_LOCKED, "svc/big.py": "x = 1\n" * 300 + "import yaml\n"},
        "pip",
        "PyYAML",
        max_file_bytes=1000,
    )
    assert_not_settled(ev)
    assert not ev.scan_complete


def test_file_with_undecodable_name_is_read(tmp_path: Path) -> None:
    write(tmp_path, YAML_LOCKED)
    (tmp_path / "svc").mkdir()
    name = os.fsdecode(b"svc/caf\xe9.py")
    (tmp_path / name).write_text("import yaml\n", encoding="utf-8")
    ev = collect_evidence(tmp_path, "pip", "PyYAML")
    assert ev.usage is Usage.USED


def test_very_long_minified_line_is_searched(tmp_path: Path) -> None:
    line = ";".join(f"var a{i}={i}" for i in range(20_000)) + ";var _=require('lodash');\n"
    ev = evidence(
        tmp_path,
        {
            "package.json": package_json({"lodash": "^4.17.20"}),
            "package-lock.json": LODASH_LOCK,
            "dist/app.min.js": line,
        },
        "npm",
        "lodash",
    )
    assert ev.usage is Usage.USED


def test_pip_dotted_distribution_name_is_found(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {"requirements.txt": "ruamel.yaml==0.17.0\n", "a.py": "from ruamel.yaml import YAML\n"},
        "pip",
        "ruamel.yaml",
    )
    assert ev.usage is Usage.USED


def test_ruby_hyphenated_gem_required_by_slash_path_is_found(tmp_path: Path) -> None:
    ev = evidence(
        tmp_path,
        {"Gemfile": 'gem "net-ssh"\n', "lib/deploy.rb": "require 'net/ssh'\n"},
        "rubygems",
        "net-ssh",
    )
    assert ev.usage is Usage.USED


def test_crlf_and_bom_package_json_still_declares(tmp_path: Path) -> None:
    body = package_json({"lodash": "^4.17.20"}).replace("\n", "\r\n")
    ev = evidence(
        tmp_path,
        {
            "package.json": b"\xef\xbb\xbf" + body.encode(),
            "package-lock.json": LODASH_LOCK,
            "src/index.js": "import get from 'lodash/get';\r\n",
        },
        "npm",
        "lodash",
    )
    assert ev.usage is Usage.USED
