"""An Open edX-shaped repository, written for the tests: ``openedx/envs/common.py``
star-imported by ``lms/envs/common.py`` and ``cms/envs/common.py``, at two releases across
the flattening of ``FEATURES`` (a dict at teak, ``FeaturesProxy(globals())`` at ulmo)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from tests.changelog.repository import git

TEAKS_SHARED = '''\
"""Settings both services share."""

#: The platform's name.
PLATFORM_NAME = "Your Platform Name Here"

#: Who gets error mails.
ADMINS = ()

#: Seconds before a request gives up.
TIMEOUT = 5
'''

TEAKS_LMS = '''\
from openedx.envs.common import *  # noqa

FEATURES = {
    # .. toggle_name: FEATURES['ENABLE_TEAMS']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: True
    # .. toggle_description: Turns on teams.
    # .. toggle_use_cases: open_edx
    'ENABLE_TEAMS': True,
    'AUTOPLAY_VIDEOS': False,
    'ENABLE_OAUTH2_PROVIDER': False,
    'ENABLE_COURSE_HOME_REDIRECT': True,
}

#: Who issues the tokens.
JWT_ISSUER = "https://lms.example.com/oauth2"

#: The issuer, with its key.
DEFAULT_JWT_ISSUER = {"ISSUER": "https://lms.example.com/oauth2", "SECRET_KEY": "lms-secret"}

#: Pages per report.
REPORT_PAGES = 10
'''

TEAKS_CMS = '''\
from openedx.envs.common import *  # noqa

FEATURES = {
    'ENABLE_TEAMS': True,
    'AUTOPLAY_VIDEOS': False,
    'ENABLE_OAUTH2_PROVIDER': False,
}

#: Who issues the tokens.
JWT_ISSUER = "https://lms.example.com/oauth2"

#: The issuer, with its key.
DEFAULT_JWT_ISSUER = {"ISSUER": "https://lms.example.com/oauth2", "SECRET_KEY": "cms-secret"}
'''

ULMOS_SHARED = '''\
"""Settings both services share."""

#: The platform's name.
PLATFORM_NAME = "Your Platform Name Here"

#: Who gets error mails.
ADMINS = []

#: Seconds before a request gives up.
TIMEOUT = 5

# .. toggle_name: settings.ENABLE_TEAMS
# .. toggle_implementation: DjangoSetting
# .. toggle_default: True
# .. toggle_description: Turns on teams, for courses that use them.
# .. toggle_use_cases: open_edx
ENABLE_TEAMS = True

AUTOPLAY_VIDEOS = False

#: Where the learner's home page is served.
LEARNER_HOME_URL = None
'''

ULMOS_LMS = '''\
from openedx.core.lib.features_setting_proxy import FeaturesProxy
from openedx.envs.common import *  # noqa

FEATURES = FeaturesProxy(globals())

ENABLE_COURSE_HOME_REDIRECT = False

#: Pages per report.
REPORT_PAGES = 20

# .. toggle_name: settings.USE_NEW_GRADER
# .. toggle_implementation: DjangoSetting
# .. toggle_default: False
# .. toggle_description: Grades with the new grader.
# .. toggle_use_cases: temporary
# .. toggle_creation_date: 2024-01-01
# .. toggle_target_removal_date: 2025-01-01
USE_NEW_GRADER = False
'''

ULMOS_CMS = '''\
from openedx.core.lib.features_setting_proxy import FeaturesProxy
from openedx.envs.common import *  # noqa

FEATURES = FeaturesProxy(globals())
'''

PROXY = "class FeaturesProxy(dict):\n    pass\n"

TEAK: dict[str, str] = {
    "openedx/envs/common.py": TEAKS_SHARED, "lms/envs/common.py": TEAKS_LMS,
    "cms/envs/common.py": TEAKS_CMS,
}
ULMO: dict[str, str] = {
    "openedx/envs/common.py": ULMOS_SHARED, "lms/envs/common.py": ULMOS_LMS,
    "cms/envs/common.py": ULMOS_CMS, "openedx/core/lib/features_setting_proxy.py": PROXY,
}


def write(root: Path, files: Mapping[str, str | None]) -> None:
    for name, text in files.items():
        path = root / name
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            if str(parent) != ".":
                (root / parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")


def make_openedx(root: Path, releases: Mapping[str, Mapping[str, str | None]] | None = None,
                 ) -> Path:
    """*root* as a repository tagged ``open-release/teak.1`` and ``open-release/ulmo.1``
    (or *releases*, each the files it changes); the working tree at the last one."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    for tag, files in (releases or {"teak.1": TEAK, "ulmo.1": ULMO}).items():
        write(root, files)
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", tag)
        git(root, "tag", f"open-release/{tag}")
    return root
