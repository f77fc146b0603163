"""Reading and writing Tesseract's ``.traineddata`` container.

A traineddata file is a table of contents followed by its components, back to back
(``TessdataManager::LoadMemBuffer`` / ``Serialize`` in src/ccutil/tessdatamanager.cpp)::

    uint32  num_entries                  24 since Tesseract 4.0; older files have fewer
    int64   offset[num_entries]          byte offset of component i, or -1 when absent
    ...     the present components, in type order, each running to the next offset

Component ``i`` is the ``TessdataType`` with that number, named by its file suffix
(:data:`COMPONENT_NAMES`): 17 ``lstm`` is the recognizer, 21 ``lstm-unicharset`` and 22
``lstm-recoder`` its character set, 18-20 its dictionaries, 23 ``version`` a free-form
string; 0-16 belong to the legacy engine (``osd.traineddata`` has only those).

Reading then writing an unchanged file gives back the same bytes: the table keeps the
length it was read with (so an 11-entry legacy file stays 11 entries), offsets are
recomputed exactly as Tesseract computes them. A component that is present but empty is
dropped (Tesseract does the same: it treats an empty component as absent).

Examples
--------
>>> from ocr.training import read_traineddata
>>> eng = read_traineddata("/usr/share/tesseract-ocr/5/tessdata/eng.traineddata")
>>> eng.version
'4.00.00alpha:eng:synth20170629'
>>> lstm = eng["lstm"]                                     # the component's bytes
>>> eng.with_component("lstm", new_lstm).write("out/eng.traineddata")  # doctest: +SKIP
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..errors import ModelFormatError

__all__ = ["COMPONENT_NAMES", "TrainedData", "read_traineddata", "component_for_path"]

#: Component names by ``TessdataType`` number (``kTessdataFileSuffixes``); the names are
#: also the file suffixes ``combine_tessdata -e/-o/-u`` use.
COMPONENT_NAMES: tuple[str, ...] = (
    "config",              # 0  TESSDATA_LANG_CONFIG
    "unicharset",          # 1
    "unicharambigs",       # 2
    "inttemp",             # 3
    "pffmtable",           # 4
    "normproto",           # 5
    "punc-dawg",           # 6
    "word-dawg",           # 7
    "number-dawg",         # 8
    "freq-dawg",           # 9
    "fixed-length-dawgs",  # 10 deprecated
    "cube-unicharset",     # 11 deprecated
    "cube-word-dawg",      # 12 deprecated
    "shapetable",          # 13
    "bigram-dawg",         # 14
    "unambig-dawg",        # 15
    "params-model",        # 16
    "lstm",                # 17
    "lstm-punc-dawg",      # 18
    "lstm-word-dawg",      # 19
    "lstm-number-dawg",    # 20
    "lstm-unicharset",     # 21
    "lstm-recoder",        # 22
    "version",             # 23
)
_INDEX = {name: i for i, name in enumerate(COMPONENT_NAMES)}
# kMaxNumTessdataEntries: a larger count means the file is byte-swapped (big-endian)
_MAX_ENTRIES = 1000
# what Tesseract reports for a file without a version component
_PRE_4_VERSION = "Pre-4.0.0"


def _check_name(name: str) -> int:
    try:
        return _INDEX[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a traineddata component; the components are "
                       f"{', '.join(COMPONENT_NAMES)}") from None


def component_for_path(path: str | os.PathLike[str]) -> str:
    """The component a file holds, from its suffix, as ``combine_tessdata`` decides it.

    Tesseract takes the text after the *last* dot (``TessdataTypeFromFileName``), so
    ``eng.lstm-unicharset`` is ``lstm-unicharset`` and ``eng.lstm`` is ``lstm``.

    Raises
    ------
    KeyError
        The suffix names no component.
    """
    suffix = os.fspath(path).rpartition(".")[2]
    _check_name(suffix)
    return suffix


@dataclass(frozen=True, slots=True)
class TrainedData:
    """The components of a traineddata file, by name, in ``TessdataType`` order.

    Immutable: :meth:`with_component` and :meth:`without_component` return new
    containers. Index it like a mapping (``td["lstm"]``, ``"lstm" in td``).

    Parameters
    ----------
    components : Mapping[str, bytes]
        Component bytes by name (:data:`COMPONENT_NAMES`). Empty components are dropped.
    num_entries : int
        The length of the offset table to write: 24 for every file since Tesseract 4.0;
        a file read from disk keeps its own. Grown to 24 when a component needs it.
    """

    components: Mapping[str, bytes]
    num_entries: int = len(COMPONENT_NAMES)
    _sorted: tuple[tuple[str, bytes], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items = []
        for name, data in self.components.items():
            _check_name(name)
            if not isinstance(data, (bytes, bytearray, memoryview)):
                raise TypeError(f"component {name!r} must be bytes, not {type(data).__name__}")
            if len(data):
                items.append((name, bytes(data)))
        items.sort(key=lambda item: _INDEX[item[0]])
        if not items:
            raise ValueError("a traineddata file needs at least one non-empty component")
        needed = _INDEX[items[-1][0]] + 1
        if not 0 < self.num_entries <= _MAX_ENTRIES:
            raise ValueError(f"num_entries must be 1..{_MAX_ENTRIES}, not {self.num_entries}")
        object.__setattr__(self, "num_entries", max(self.num_entries, needed))
        object.__setattr__(self, "_sorted", tuple(items))
        object.__setattr__(self, "components", MappingProxyType(dict(items)))

    # -- mapping access -----------------------------------------------------------
    def __getitem__(self, name: str) -> bytes:
        _check_name(name)
        try:
            return self.components[name]
        except KeyError:
            raise KeyError(f"this traineddata has no {name!r} component; it has "
                           f"{', '.join(self.components)}") from None

    def __contains__(self, name: object) -> bool:
        return name in self.components

    def __iter__(self) -> Iterator[str]:
        return iter(self.components)

    def __len__(self) -> int:
        return len(self.components)

    @property
    def version(self) -> str:
        """The version component as text; ``"Pre-4.0.0"`` when there is none, as
        Tesseract reports it."""
        data = self.components.get("version")
        return _PRE_4_VERSION if data is None else data.decode("utf-8", "replace")

    # -- editing ------------------------------------------------------------------
    def with_component(self, name: str, data: bytes) -> TrainedData:
        """A copy with component ``name`` set to ``data`` (added or replaced).

        Like ``combine_tessdata -o``. Empty ``data`` removes the component.
        """
        _check_name(name)
        components = dict(self.components)
        components[name] = bytes(data)
        return TrainedData(components, self.num_entries)

    def without_component(self, name: str) -> TrainedData:
        """A copy without component ``name`` (absent already is fine)."""
        _check_name(name)
        return TrainedData({k: v for k, v in self.components.items() if k != name},
                           self.num_entries)

    # -- serialization ------------------------------------------------------------
    @classmethod
    def from_bytes(cls, data: bytes, *, source: str = "traineddata") -> TrainedData:
        """Parse a traineddata file's bytes.

        Parameters
        ----------
        data : bytes
            The whole file.
        source : str
            Names the input in error messages.

        Raises
        ------
        ModelFormatError
            Truncated or inconsistent table of contents, a big-endian file, or a
            component number this module does not know (a newer Tesseract).
        """
        data = bytes(data)
        if len(data) < 4:
            raise ModelFormatError(f"{source}: {len(data)} bytes is too short for a "
                                   "traineddata file")
        (num_entries,) = struct.unpack_from("<I", data)
        if num_entries > _MAX_ENTRIES:
            if data[:4] == b"PK\x03\x04":
                raise ModelFormatError(f"{source}: a zip archive; only Tesseract's own "
                                       "traineddata layout is read here")
            raise ModelFormatError(f"{source}: not a little-endian traineddata file "
                                   f"(table of {num_entries} entries); big-endian files "
                                   "are not supported")
        if num_entries == 0:
            raise ModelFormatError(f"{source}: the table of contents is empty")
        header = 4 + 8 * num_entries
        if len(data) < header:
            raise ModelFormatError(f"{source}: truncated table of contents "
                                   f"({len(data)} bytes, {header} needed)")
        offsets = struct.unpack_from(f"<{num_entries}q", data, 4)
        present = [(i, off) for i, off in enumerate(offsets) if off != -1]
        # Tesseract reads the components one after the other from the end of the table,
        # sizing each by the next offset: the layout must be contiguous for that to work.
        expected = header
        components: dict[str, bytes] = {}
        for k, (i, off) in enumerate(present):
            end = present[k + 1][1] if k + 1 < len(present) else len(data)
            if off != expected or not off <= end <= len(data):
                raise ModelFormatError(
                    f"{source}: component {i} at offset {off} does not follow the previous "
                    f"one (expected offset {expected}, next at {end}, file of {len(data)} "
                    "bytes)")
            if i >= len(COMPONENT_NAMES):
                raise ModelFormatError(
                    f"{source}: component number {i} is unknown (known: 0-"
                    f"{len(COMPONENT_NAMES) - 1}); written by a newer Tesseract?")
            components[COMPONENT_NAMES[i]] = data[off:end]
            expected = end
        if not any(components.values()):
            raise ModelFormatError(f"{source}: no component has any data")
        return cls(components, num_entries)

    def to_bytes(self) -> bytes:
        """The file's bytes, laid out as ``TessdataManager::Serialize`` lays them out."""
        offsets = [-1] * self.num_entries
        position = 4 + 8 * self.num_entries
        for name, data in self._sorted:
            offsets[_INDEX[name]] = position
            position += len(data)
        head = struct.pack(f"<I{self.num_entries}q", self.num_entries, *offsets)
        return head + b"".join(data for _, data in self._sorted)

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the file to ``path`` (replaced if it exists)."""
        with open(path, "wb") as f:
            f.write(self.to_bytes())

    def directory(self) -> list[tuple[int, str, int]]:
        """(type number, name, size in bytes) of each component, in file order."""
        return [(_INDEX[name], name, len(data)) for name, data in self._sorted]


def read_traineddata(path: str | os.PathLike[str]) -> TrainedData:
    """Read a ``.traineddata`` file.

    Parameters
    ----------
    path : str or os.PathLike
        The file.

    Returns
    -------
    TrainedData
        Its components; ``read_traineddata(p).to_bytes()`` equals the file's bytes.

    Raises
    ------
    FileNotFoundError
        No such file.
    ModelFormatError
        The file is not a traineddata file this module reads.
    """
    with open(path, "rb") as f:
        data = f.read()
    return TrainedData.from_bytes(data, source=os.fspath(path))
