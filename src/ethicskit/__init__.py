"""ethicskit: a Jupyter training kit for ethical segmentation and personalization."""

__version__ = "0.1.0"
