from django.apps import AppConfig


class OversightConfig(AppConfig):
    """Oversight — 巡察办的督查分析: dashboards, reminders, common and repeated problems, quality checks."""

    name = "zhenggai.oversight"
    label = "oversight"
    verbose_name = "督查分析"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhenggai.oversight import signals

        signals.connect()
