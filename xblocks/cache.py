"""The rendered-markup cache: a block renders its Markdown once per process, not once per learner."""
from __future__ import annotations

import threading
from collections import OrderedDict


class BoundedCache:
    """A small thread-safe LRU dictionary, for the rendered markup only. ``functools.lru_cache``
    keys on a function's arguments, and rendering needs the runtime's ``gettext`` (a new object
    for every block, so never a cache hit) although only the language matters: here the key is
    what the markup depends on and the value is made by the caller."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, make):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self):
        with self._lock:
            self._items.clear()


RENDERED = BoundedCache(4096)   # (sources hash, language, DOM prefix, preview mark) -> Markup
