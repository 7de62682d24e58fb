"""The highlight colours, in the order their keys (1-5) and ``color:`` name them."""

COLORS: tuple[str, ...] = ("yellow", "green", "blue", "pink", "purple")
