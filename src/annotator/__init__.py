"""annotator: code framing devices in news articles and measure inter-coder reliability."""

__version__ = "0.1.0"
