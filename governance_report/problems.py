"""The one error the report raises for bad input: which file, what is wrong, what to do."""
from __future__ import annotations


class InputProblem(Exception):
    """An input the report cannot use. Printed as ``file: message (hint)``; nothing is written."""

    def __init__(self, file: str, message: str, hint: str = ""):
        self.file, self.message, self.hint = str(file), message, hint
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.file}: {self.message}" + (f" ({self.hint})" if self.hint else "")
