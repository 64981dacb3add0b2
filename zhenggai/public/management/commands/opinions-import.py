"""`zhenggai opinions-import`: see zhenggai.public.exchange."""

from zhenggai.public.exchange.channels import OPINIONS
from zhenggai.public.management.exchange import ImportCommand


class Command(ImportCommand):
    help = "验证并导入公众网站的群众意见数据包(内网运行)"
    channel = OPINIONS
