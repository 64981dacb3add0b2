from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zhenggai.reports"
    label = "reports"
    verbose_name = "整改报告"

    def ready(self) -> None:
        # The report and workbook formats join `zhenggai export` the way a plugin would.
        from zhenggai.reports.exporters import register_formats

        register_formats()
