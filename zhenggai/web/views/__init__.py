"""Views, one module per page; `zhenggai.web.urls` maps them."""
