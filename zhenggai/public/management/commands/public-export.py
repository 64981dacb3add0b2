"""`zhenggai public-export`: see zhenggai.public.exchange."""

from zhenggai.public.exchange.channels import PUBLICATION
from zhenggai.public.management.exchange import ExportCommand


class Command(ExportCommand):
    help = "写出已批准公开内容的签名数据包(内网运行)"
    channel = PUBLICATION
