"""Review data: CSV uploads, their column mapping and background import (``imports`` is pure)."""
