from django.apps import AppConfig


class FailingAppConfig(AppConfig):
    name = "tests.ops.failing_app"
    label = "ops_failing_app"
