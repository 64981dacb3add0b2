from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhenggai.org"
    label = "org"
    verbose_name = "组织与人员"

    def ready(self) -> None:
        from zhenggai.org import checks  # noqa: F401  (registers the system checks)
