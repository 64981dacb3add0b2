"""`zhenggai opinions-export`: see zhenggai.public.exchange."""

from zhenggai.public.exchange.channels import OPINIONS
from zhenggai.public.management.exchange import ExportCommand


class Command(ExportCommand):
    help = "写出公众网站收到的群众意见的签名数据包(公众网站运行)"
    channel = OPINIONS
