"""`zhenggai public-import`: see zhenggai.public.exchange."""

from zhenggai.public.exchange.channels import PUBLICATION
from zhenggai.public.management.exchange import ImportCommand


class Command(ImportCommand):
    help = "验证并导入内网的公开数据包(公众网站运行)"
    channel = PUBLICATION
