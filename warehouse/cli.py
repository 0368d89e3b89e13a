"""What the command lines (python -m ingest, metrics, briefing, accounts) share."""
from __future__ import annotations

import argparse
import sys


class Parser(argparse.ArgumentParser):
    """argparse whose usage errors exit 2 with a Chinese 用法错误 line after the usage."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"用法错误：{message}", file=sys.stderr)
        sys.exit(2)
