"""Jiedao KG: a knowledge graph of China's subdistricts, every fact tied to its source sentence."""

__version__ = "0.1.0"
