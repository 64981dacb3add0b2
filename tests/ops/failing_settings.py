"""The real settings plus an app whose only migration fails: an upgrade that goes wrong."""

from zhenggai.settings import *  # noqa: F403
from zhenggai.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.ops.failing_app"]
