"""The exports of :class:`ocr.OcrResult`: its dict/JSON schema (and reading it back),
hOCR, Tesseract's TSV, and ALTO XML.

All are written from the result objects, never from Tesseract's own renderers, so a
page that was rescaled, deskewed, split or tiled exports the same way as any other:
boxes in the caller's pixels, blocks and paragraphs in reading order. Standard library
only; XML is built as text, every value passed through :func:`_xml_text` or
:func:`_xml_attr`.

Layout numbering shared by hOCR, TSV and ALTO: blocks, paragraphs, lines and words are
counted from 1 in reading order, a new block starting wherever ``Line.block`` changes
and a new paragraph wherever ``Line.paragraph`` changes (the indices themselves may
have gaps, e.g. after a tiled page is merged; only their changes matter).
"""

from __future__ import annotations

import json
import math
import re
import types
from dataclasses import fields
from typing import Any, Literal, Mapping, NoReturn, Sequence, Union, get_args, get_origin, get_type_hints

from .errors import ResultFormatError
from .pipeline import Binarize, Deskew, Flatten, Invert, Rescale, Step
from .result import Line, OcrResult, Word

SCHEMA = "ocr.result/1"

_STEP_CLASSES: tuple[type[Step], ...] = (Invert, Flatten, Binarize, Rescale, Deskew)
_STEPS: dict[str, type[Step]] = {cls.__name__: cls for cls in _STEP_CLASSES}

Box = tuple[int, int, int, int]


# -- dict / JSON ---------------------------------------------------------------------------

def to_dict(result: OcrResult) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "text": result.text,
        "languages": list(result.languages),
        "width": result.width,
        "height": result.height,
        "tiles": result.tiles,
        "preprocessing": [_step_dict(step) for step in result.preprocessing],
        "lines": [
            {
                "text": line.text,
                "bbox": list(line.bbox),
                "confidence": line.confidence,
                "block": line.block,
                "paragraph": line.paragraph,
                "words": [{"text": word.text, "bbox": list(word.bbox), "confidence": word.confidence}
                          for word in line.words],
            }
            for line in result.lines
        ],
    }


def _step_dict(step: Step) -> dict[str, Any]:
    return {"step": type(step).__name__, **{f.name: getattr(step, f.name) for f in fields(step)}}


def to_json(result: OcrResult, indent: int | str | None = None) -> str:
    # allow_nan=False: never write NaN or Infinity, which are not JSON
    return json.dumps(to_dict(result), ensure_ascii=False, indent=indent, allow_nan=False)


def from_json(text: str | bytes | bytearray) -> OcrResult:
    try:
        data = json.loads(text)
    except ValueError as exc:  # JSONDecodeError, or bytes that are not UTF-8/16/32
        raise ResultFormatError(f"not an OCR result: the text is not valid JSON ({exc})") from exc
    return from_dict(data)


def from_dict(data: object) -> OcrResult:
    if not isinstance(data, Mapping):
        _fail("the result", f"expected an object (a dict), got {type(data).__name__}")
    if "schema" not in data:
        _fail("the result", f"no 'schema' key; a result written by OcrResult.to_dict "
                            f"starts with 'schema': {SCHEMA!r}")
    if data["schema"] != SCHEMA:
        _fail("schema", f"unknown version {data['schema']!r}; this version of ocr reads "
                        f"{SCHEMA!r} (a result written by a newer ocr needs that version)")
    top = _object(data, "the result", required=("schema", "languages", "width", "height", "lines"),
                  optional=("text", "tiles", "preprocessing"))
    languages = tuple(_str(code, f"languages[{i}]") for i, code in enumerate(_list(top["languages"], "languages")))
    width = _int(top["width"], "width")
    height = _int(top["height"], "height")
    tiles = _int(top.get("tiles", 1), "tiles", minimum=1)
    steps = tuple(_step(step, f"preprocessing[{i}]")
                  for i, step in enumerate(_list(top.get("preprocessing", []), "preprocessing")))
    lines = tuple(_line(line, f"lines[{i}]") for i, line in enumerate(_list(top["lines"], "lines")))
    result = OcrResult(lines=lines, languages=languages, width=width, height=height,
                       preprocessing=steps, tiles=tiles)
    if "text" in top and top["text"] != result.text:
        _fail("text", "does not match the lines (it is derived from them: leave it out, or "
                      "write the lines' text joined as OcrResult.text joins them)")
    return result


def _line(value: object, where: str) -> Line:
    obj = _object(value, where, required=("words", "confidence", "block", "paragraph"),
                  optional=("text", "bbox"))
    words = tuple(_word(word, f"{where}.words[{i}]")
                  for i, word in enumerate(_list(obj["words"], f"{where}.words")))
    if not words:
        _fail(f"{where}.words", "a line needs at least one word")
    line = Line(words=words, confidence=_confidence(obj["confidence"], f"{where}.confidence"),
                block=_int(obj["block"], f"{where}.block"),
                paragraph=_int(obj["paragraph"], f"{where}.paragraph"))
    if "text" in obj and obj["text"] != line.text:
        _fail(f"{where}.text", "does not match the line's words joined by spaces (it is derived "
                               "from them: leave it out, or correct it)")
    if "bbox" in obj and _bbox(obj["bbox"], f"{where}.bbox") != line.bbox:
        _fail(f"{where}.bbox", "is not the box enclosing the line's words (it is derived from "
                               "them: leave it out, or correct it)")
    return line


def _word(value: object, where: str) -> Word:
    obj = _object(value, where, required=("text", "bbox", "confidence"))
    return Word(_str(obj["text"], f"{where}.text"), *_bbox(obj["bbox"], f"{where}.bbox"),
                _confidence(obj["confidence"], f"{where}.confidence"))


def _step(value: object, where: str) -> Step:
    if not isinstance(value, Mapping):
        _fail(where, f"expected an object (a dict), got {type(value).__name__}")
    name = value.get("step")
    cls = _STEPS.get(name) if isinstance(name, str) else None
    if cls is None:
        _fail(f"{where}.step", f"expected one of {', '.join(_STEPS)}, got {name!r}")
    names = [f.name for f in fields(cls)]
    obj = _object(value, where, required=("step",), optional=names)
    hints = get_type_hints(cls)
    values: dict[str, Any] = {}
    for key in names:
        if key in obj:
            ok, values[key] = _conform(obj[key], hints[key])
            if not ok:
                _fail(f"{where}.{key}", f"expected {cls.__annotations__[key]}, got {obj[key]!r}")
    return cls(**values)


def _conform(value: object, hint: object) -> tuple[bool, object]:
    """Whether a JSON value fits a step field's annotation, and the value as the field
    holds it (an integer given for a float field becomes a float)."""
    origin = get_origin(hint)
    if origin is Union or origin is types.UnionType:
        for option in get_args(hint):
            ok, converted = _conform(value, option)
            if ok:
                return True, converted
        return False, value
    if origin is Literal:
        return isinstance(value, str) and value in get_args(hint), value
    if hint is type(None):
        return value is None, value
    if hint is bool:
        return isinstance(value, bool), value
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return True, float(value)
        return False, value
    if hint is str:
        return isinstance(value, str), value
    return False, value


def _fail(where: str, problem: str) -> NoReturn:
    raise ResultFormatError(f"not a valid OCR result: {where}: {problem}")


def _object(value: object, where: str, *, required: Sequence[str],
            optional: Sequence[str] = ()) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        _fail(where, f"expected an object (a dict), got {type(value).__name__}")
    missing = [key for key in required if key not in value]
    if missing:
        _fail(where, f"missing {', '.join(map(repr, missing))}")
    unknown = [key for key in value if key not in required and key not in optional]
    if unknown:
        _fail(where, f"unexpected {', '.join(map(repr, unknown))} (schema {SCHEMA} has "
                     f"{', '.join(map(repr, [*required, *optional]))})")
    return value


def _list(value: object, where: str) -> Sequence[Any]:
    if not isinstance(value, (list, tuple)):
        _fail(where, f"expected an array (a list), got {type(value).__name__}")
    return value


def _str(value: object, where: str) -> str:
    if not isinstance(value, str):
        _fail(where, f"expected a string, got {value!r}")
    return value


def _int(value: object, where: str, *, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        _fail(where, f"expected an integer >= {minimum}, got {value!r}")
    return value


def _confidence(value: object, where: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0.0 <= value <= 1.0:
        _fail(where, f"expected a number in 0..1, got {value!r}")
    return float(value)


def _bbox(value: object, where: str) -> Box:
    items = _list(value, where)
    if len(items) != 4:
        _fail(where, f"expected [x0, y0, x1, y1], got {value!r}")
    x0, y0, x1, y1 = (_int(v, f"{where}[{i}]") for i, v in enumerate(items))
    if x1 < x0 or y1 < y0:
        _fail(where, f"expected x0 <= x1 and y0 <= y1, got {value!r}")
    return (x0, y0, x1, y1)


# -- layout shared by hOCR, TSV, ALTO ----------------------------------------------------------

Paragraph = list[Line]
Block = list[Paragraph]


def _blocks(lines: Sequence[Line]) -> list[Block]:
    """The lines grouped into blocks of paragraphs, in reading order."""
    blocks: list[Block] = []
    previous: Line | None = None
    for line in lines:
        if previous is None or line.block != previous.block:
            blocks.append([[line]])
        elif line.paragraph != previous.paragraph:
            blocks[-1].append([line])
        else:
            blocks[-1][-1].append(line)
        previous = line
    return blocks


def _union(lines: Sequence[Line]) -> Box:
    boxes = [line.bbox for line in lines]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _version() -> str:
    from . import __version__
    return __version__


# XML 1.0 cannot hold these at all (not even as character references): U+FFFD stands in.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    text = _NOT_XML.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _xml_attr(text: str) -> str:
    """For a double-quoted attribute; tabs and line breaks as references, which attribute
    value normalisation would otherwise turn into spaces."""
    return (_xml_text(text).replace('"', "&quot;")
            .replace("\t", "&#9;").replace("\n", "&#10;"))


# -- hOCR --------------------------------------------------------------------------------------

HOCR_CAPABILITIES = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_lang ocrp_wconf"


def to_hocr(result: OcrResult) -> str:
    def bbox(box: Box) -> str:
        return "bbox {} {} {} {}".format(*box)

    lang = ""
    if len(result.languages) == 1 and result.languages[0][:1].islower():  # not a script model
        lang = f' lang="{_xml_attr(result.languages[0])}"'
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n'
        '    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n'
        ' <head>\n'
        '  <title></title>\n'
        '  <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>\n'
        f'  <meta name="ocr-system" content="ocr {_xml_attr(_version())}"/>\n'
        f'  <meta name="ocr-capabilities" content="{HOCR_CAPABILITIES}"/>\n'
        '  <meta name="ocr-number-of-pages" content="1"/>\n'
        ' </head>\n'
        ' <body>\n'
        f'  <div class="ocr_page" id="page_1" title="{bbox((0, 0, result.width, result.height))}">\n'
    ]
    paragraph_id = line_id = word_id = 0
    for block_id, block in enumerate(_blocks(result.lines), 1):
        out.append(f'   <div class="ocr_carea" id="block_1_{block_id}" '
                   f'title="{bbox(_union([line for par in block for line in par]))}">\n')
        for paragraph in block:
            paragraph_id += 1
            out.append(f'    <p class="ocr_par" id="par_1_{paragraph_id}"{lang} '
                       f'title="{bbox(_union(paragraph))}">\n')
            for line in paragraph:
                line_id += 1
                out.append(f'     <span class="ocr_line" id="line_1_{line_id}" title="{bbox(line.bbox)}">\n')
                for word in line.words:
                    word_id += 1
                    out.append(f'      <span class="ocrx_word" id="word_1_{word_id}" '
                               f'title="{bbox(word.bbox)}; x_wconf {round(word.confidence * 100)}">'
                               f'{_xml_text(word.text)}</span>\n')
                out.append('     </span>\n')
            out.append('    </p>\n')
        out.append('   </div>\n')
    out.append('  </div>\n </body>\n</html>\n')
    return "".join(out)


# -- TSV ---------------------------------------------------------------------------------------

TSV_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
               "left", "top", "width", "height", "conf", "text")
_TSV_BREAKS = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def to_tsv(result: OcrResult, *, page_num: int = 1, header: bool = True) -> str:
    if not isinstance(page_num, int) or isinstance(page_num, bool) or page_num < 1:
        raise ValueError(f"page_num must be an integer from 1 (Tesseract's numbering), got {page_num!r}")
    rows: list[str] = ["\t".join(TSV_COLUMNS) + "\n"] if header else []

    def row(level: int, numbers: tuple[int, int, int, int], box: Box, conf: str = "-1",
            text: str = "") -> None:
        x0, y0, x1, y1 = box
        rows.append(f"{level}\t{page_num}\t{numbers[0]}\t{numbers[1]}\t{numbers[2]}\t{numbers[3]}\t"
                    f"{x0}\t{y0}\t{x1 - x0}\t{y1 - y0}\t{conf}\t{text}\n")

    row(1, (0, 0, 0, 0), (0, 0, result.width, result.height))
    for b, block in enumerate(_blocks(result.lines), 1):
        row(2, (b, 0, 0, 0), _union([line for par in block for line in par]))
        for p, paragraph in enumerate(block, 1):
            row(3, (b, p, 0, 0), _union(paragraph))
            for n, line in enumerate(paragraph, 1):
                row(4, (b, p, n, 0), line.bbox)
                for w, word in enumerate(line.words, 1):
                    row(5, (b, p, n, w), word.bbox, f"{word.confidence * 100:.6f}",
                        word.text.translate(_TSV_BREAKS))
    return "".join(rows)


# -- ALTO --------------------------------------------------------------------------------------

ALTO_NAMESPACE = "http://www.loc.gov/standards/alto/ns-v4#"
ALTO_SCHEMA_LOCATION = "http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"


def to_alto(result: OcrResult) -> str:
    def position(box: Box) -> str:
        x0, y0, x1, y1 = box
        return f'HPOS="{x0}" VPOS="{y0}" WIDTH="{x1 - x0}" HEIGHT="{y1 - y0}"'

    software = ('<processingSoftware><softwareName>ocr</softwareName>'
                f'<softwareVersion>{_xml_text(_version())}</softwareVersion></processingSoftware>')
    processing: list[str] = []
    for i, step in enumerate(result.preprocessing, 1):
        settings = ", ".join(f"{f.name}={getattr(step, f.name)!r}" for f in fields(step))
        processing.append(
            f'  <Processing ID="preprocessing_{i}"><processingCategory>preOperation</processingCategory>'
            f'<processingStepDescription>{type(step).__name__}</processingStepDescription>'
            f'<processingStepSettings>{_xml_text(settings)}</processingStepSettings>{software}</Processing>\n')
    recognition = f"languages={'+'.join(result.languages)}, tiles={result.tiles}"
    processing.append(
        f'  <Processing ID="recognition"><processingCategory>contentGeneration</processingCategory>'
        f'<processingStepDescription>Tesseract through tesserocr</processingStepDescription>'
        f'<processingStepSettings>{_xml_text(recognition)}</processingStepSettings>{software}</Processing>\n')
    refs = " ".join([f"preprocessing_{i}" for i in range(1, len(result.preprocessing) + 1)] + ["recognition"])
    page = (0, 0, result.width, result.height)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<alto xmlns="{ALTO_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{ALTO_NAMESPACE} {ALTO_SCHEMA_LOCATION}">\n'
        ' <Description>\n'
        '  <MeasurementUnit>pixel</MeasurementUnit>\n',
        *processing,
        ' </Description>\n'
        ' <Layout>\n'
        f'  <Page ID="page_1" PHYSICAL_IMG_NR="1" WIDTH="{result.width}" HEIGHT="{result.height}" '
        f'PROCESSINGREFS="{refs}">\n'
        f'   <PrintSpace {position(page)}>\n',
    ]
    paragraph_id = line_id = word_id = 0
    for block_id, block in enumerate(_blocks(result.lines), 1):
        out.append(f'    <ComposedBlock ID="block_{block_id}" '
                   f'{position(_union([line for par in block for line in par]))}>\n')
        for paragraph in block:
            paragraph_id += 1
            out.append(f'     <TextBlock ID="par_{paragraph_id}" {position(_union(paragraph))}>\n')
            for line in paragraph:
                line_id += 1
                out.append(f'      <TextLine ID="line_{line_id}" {position(line.bbox)}>\n')
                previous: Word | None = None
                for word in line.words:
                    if previous is not None:
                        out.append(f'       <SP WIDTH="{max(word.x0 - previous.x1, 0)}" '
                                   f'HPOS="{previous.x1}" VPOS="{previous.y0}"/>\n')
                    word_id += 1
                    out.append(f'       <String ID="string_{word_id}" CONTENT="{_xml_attr(word.text)}" '
                               f'{position(word.bbox)} WC="{word.confidence:.2f}"/>\n')
                    previous = word
                out.append('      </TextLine>\n')
            out.append('     </TextBlock>\n')
        out.append('    </ComposedBlock>\n')
    out.append('   </PrintSpace>\n  </Page>\n </Layout>\n</alto>\n')
    return "".join(out)
