"""The exports of OcrResult: JSON (and back), hOCR, Tesseract's TSV, ALTO v4.

Each export is written from a real recognition of a page the tests render, then read
back with an independent parser (json, lxml, csv) and compared with the result word
for word: text, box and confidence (rounded as the format has it). ALTO is validated
against the ALTO 4.4 schema; hOCR against the hOCR 1.2 rules by hand; TSV against the
TSV Tesseract itself writes for the same page.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
import tesserocr
from lxml import etree
from PIL import Image, ImageDraw

import ocr
from ocr._tesseract import find_tessdata

import pages

DATA = Path(__file__).parent / "data"
XHTML = "http://www.w3.org/1999/xhtml"
ALTO = "http://www.loc.gov/standards/alto/ns-v4#"
NS = {"h": XHTML, "a": ALTO}

SURVEY = (
    "The survey of the northern coast began in the spring, when the ice had gone from the "
    "harbours and the roads were dry enough for the carts. Each team carried a theodolite, "
    "two chains, a tent and food for ten days.",
    "By midsummer they had mapped forty miles of shore, three river mouths and a chain of "
    "islands that no chart had shown before.",
    "In the autumn the maps were engraved in the capital, printed on linen paper and sold "
    "to shipowners for four shillings a sheet.",
)


# -- results of real recognitions -----------------------------------------------------------

def _recognize(image: Image.Image | np.ndarray, languages: list[str] | None = None,
               **options: object) -> ocr.OcrResult:
    with ocr.OcrEngine(languages, **options) as engine:
        return engine.recognize(image)


def _english() -> ocr.OcrResult:
    return _recognize(pages.render(pages.ENGLISH))


def _english_russian() -> ocr.OcrResult:
    result = _recognize(pages.render(pages.ENGLISH[:1] + pages.RUSSIAN), ["eng", "rus"])
    assert result.languages == ("eng", "rus")
    assert any("ё" in word.text for word in result.words)  # Cyrillic was read
    return result


def _blocks() -> ocr.OcrResult:
    result = _recognize(pages.document(SURVEY, font_name="serif", size=30, width=1200))
    assert len({line.block for line in result.lines}) >= 2
    return result


def indented(paragraphs: tuple[str, ...], *, size: int = 30, width: int = 1200, margin: int = 100,
             indent: int = 60) -> Image.Image:
    """Paragraphs set as in a book: first lines indented, no space between paragraphs
    (Tesseract reads them as one block of several paragraphs)."""
    face = pages.font("serif", size)
    lines = []
    for text in paragraphs:
        wrapped = pages.wrap(text.split(), face, width - 2 * margin - indent)
        lines += [(indent if i == 0 else 0, line) for i, line in enumerate(wrapped)]
    step = round(size * 1.45)
    image = Image.new("L", (width, 2 * margin + step * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for i, (left, line) in enumerate(lines):
        draw.text((margin + left, margin + i * step), line, font=face, fill=0)
    return image


def _paragraphs() -> ocr.OcrResult:
    result = _recognize(indented(SURVEY))
    assert len({line.block for line in result.lines}) == 1
    assert len({line.paragraph for line in result.lines}) == 3
    return result


def _tiled() -> ocr.OcrResult:
    page = np.asarray(pages.document(SURVEY * 6, font_name="serif", size=30, width=1300))
    result = _recognize(page, workers=2)
    assert result.tiles >= 2  # read in pieces, merged back
    return result


def _rescaled() -> ocr.OcrResult:
    result = _recognize(pages.document(SURVEY[:1], font_name="sans", size=11, width=700, margin=40))
    assert any(isinstance(step, ocr.Rescale) for step in result.preprocessing)
    return result


def _every_step() -> ocr.OcrResult:
    image = pages.render(pages.ENGLISH).rotate(1.5, expand=True, fillcolor=255)
    steps = [ocr.Invert(), ocr.Flatten(), ocr.Deskew(), ocr.Binarize("sauvola"), ocr.Rescale(factor=1.5)]
    result = _recognize(image, preprocessing=steps)
    assert [type(step) for step in result.preprocessing] == [type(step) for step in steps]
    assert result.words
    return result


def _blank() -> ocr.OcrResult:
    result = _recognize(Image.new("L", (320, 200), 255))
    assert result.lines == ()
    return result


RESULTS = {"english": _english, "english+russian": _english_russian, "blocks": _blocks,
           "paragraphs": _paragraphs,
           "tiled": _tiled, "rescaled": _rescaled, "every-step": _every_step, "blank": _blank}


@pytest.fixture(scope="module", params=list(RESULTS))
def result(request: pytest.FixtureRequest) -> ocr.OcrResult:
    return RESULTS[request.param]()


@pytest.fixture(scope="module")
def english() -> ocr.OcrResult:
    return _english()


def with_texts(result: ocr.OcrResult, texts: list[str]) -> ocr.OcrResult:
    """``result`` with its words renamed, in order, to ``texts`` (boxes kept)."""
    remaining = iter(texts)
    lines = tuple(dataclasses.replace(line, words=tuple(
        dataclasses.replace(word, text=next(remaining)) for word in line.words)) for line in result.lines)
    return dataclasses.replace(result, lines=lines)


def words_of(result: ocr.OcrResult) -> list[tuple[str, tuple[int, int, int, int], float]]:
    return [(w.text, w.bbox, w.confidence) for w in result.words]


def layout_of(result: ocr.OcrResult) -> list[list[list[ocr.Line]]]:
    """Blocks of paragraphs of lines, grouped independently of the exporter."""
    blocks: dict[int, dict[int, list[ocr.Line]]] = {}
    for line in result.lines:
        blocks.setdefault(line.block, {}).setdefault(line.paragraph, []).append(line)
    return [list(paragraphs.values()) for paragraphs in blocks.values()]


def union(lines: list[ocr.Line]) -> tuple[int, int, int, int]:
    return (min(line.x0 for line in lines), min(line.y0 for line in lines),
            max(line.x1 for line in lines), max(line.y1 for line in lines))


# -- JSON ----------------------------------------------------------------------------------

def test_json_round_trips_to_an_equal_result(result):
    text = result.to_json()
    assert ocr.OcrResult.from_json(text) == result
    assert ocr.OcrResult.from_json(result.to_json(indent=2).encode()) == result
    assert ocr.OcrResult.from_dict(result.to_dict()) == result
    back = ocr.OcrResult.from_json(text)
    assert [type(s) for s in back.preprocessing] == [type(s) for s in result.preprocessing]


def test_json_holds_the_documented_schema(result):
    data = json.loads(result.to_json())
    assert data == result.to_dict()  # to_dict is plain JSON data already
    assert list(data) == ["schema", "text", "languages", "width", "height", "tiles",
                          "preprocessing", "lines"]
    assert data["schema"] == "ocr.result/1"
    assert (data["text"], data["languages"]) == (result.text, list(result.languages))
    assert (data["width"], data["height"], data["tiles"]) == (result.width, result.height, result.tiles)
    for step, entry in zip(result.preprocessing, data["preprocessing"], strict=True):
        assert entry == {"step": type(step).__name__, **dataclasses.asdict(step)}
    words = [(w["text"], tuple(w["bbox"]), w["confidence"]) for line in data["lines"] for w in line["words"]]
    assert words == words_of(result)
    for line, entry in zip(result.lines, data["lines"], strict=True):
        assert list(entry) == ["text", "bbox", "confidence", "block", "paragraph", "words"]
        assert (entry["text"], tuple(entry["bbox"]), entry["confidence"], entry["block"],
                entry["paragraph"]) == (line.text, line.bbox, line.confidence, line.block, line.paragraph)


def test_json_keeps_unicode_readable(english):
    special = with_texts(english, ["Привет", "Ŀ", "AT&T", '"q"'] + [w.text for w in english.words[4:]])
    text = special.to_json()
    assert "Привет" in text and "Ŀ" in text  # not \\u escapes
    assert ocr.OcrResult.from_json(text) == special


def test_derived_keys_may_be_left_out(english):
    data = english.to_dict()
    del data["text"]
    for line in data["lines"]:
        del line["text"], line["bbox"]
    assert ocr.OcrResult.from_dict(data) == english
    minimal = {key: data[key] for key in ("schema", "languages", "width", "height", "lines")}
    assert ocr.OcrResult.from_dict(minimal) == dataclasses.replace(english, preprocessing=(), tiles=1)


def test_step_fields_are_typed_and_defaulted():
    data = ocr.OcrResult((), ("eng",), 10, 10).to_dict()
    data["preprocessing"] = [{"step": "Rescale", "factor": 2}, {"step": "Binarize", "method": "otsu"}]
    steps = ocr.OcrResult.from_dict(data).preprocessing
    assert steps == (ocr.Rescale(factor=2.0), ocr.Binarize("otsu"))
    assert type(steps[0].factor) is float  # an integer in JSON, a float field


def bad(data: dict, where: str) -> str:
    with pytest.raises(ocr.ResultFormatError) as caught:
        ocr.OcrResult.from_dict(data)
    message = str(caught.value)
    assert where in message, message
    return message


def test_unknown_schema_versions_are_refused(english):
    data = english.to_dict()
    data["schema"] = "ocr.result/2"
    message = bad(data, "schema")
    assert "'ocr.result/2'" in message and "'ocr.result/1'" in message
    del data["schema"]
    assert "no 'schema' key" in bad(data, "the result")
    with pytest.raises(ocr.ResultFormatError):
        ocr.OcrResult.from_dict([data])


def test_the_format_error_is_an_ocr_error_and_a_value_error():
    assert issubclass(ocr.ResultFormatError, ocr.OcrError)
    assert issubclass(ocr.ResultFormatError, ValueError)
    with pytest.raises(ValueError, match="not valid JSON"):
        ocr.OcrResult.from_json("{'schema': 1}")
    with pytest.raises(ocr.ResultFormatError, match="not valid JSON"):
        ocr.OcrResult.from_json(b"\xff\xfe\xfa")


@pytest.mark.parametrize("edit, where", [
    (lambda d: d.pop("lines"), "missing 'lines'"),
    (lambda d: d.update(extra=1), "unexpected 'extra'"),
    (lambda d: d.update(width=-1), "width"),
    (lambda d: d.update(height=True), "height"),
    (lambda d: d.update(tiles=0), "tiles"),
    (lambda d: d.update(languages="eng"), "languages"),
    (lambda d: d["lines"][1]["words"][0].update(bbox=[1, 2, 3]), "lines[1].words[0].bbox"),
    (lambda d: d["lines"][1]["words"][0].update(bbox=[9, 2, 3, 4]), "lines[1].words[0].bbox"),
    (lambda d: d["lines"][1]["words"][0].update(bbox=[1.5, 2, 3, 4]), "lines[1].words[0].bbox[0]"),
    (lambda d: d["lines"][0]["words"][2].update(confidence=1.5), "lines[0].words[2].confidence"),
    (lambda d: d["lines"][0]["words"][2].update(confidence="high"), "lines[0].words[2].confidence"),
    (lambda d: d["lines"][0]["words"][2].update(text=None), "lines[0].words[2].text"),
    (lambda d: d["lines"][0]["words"][2].pop("confidence"), "lines[0].words[2]: missing 'confidence'"),
    (lambda d: d["lines"][0].update(words=[]), "lines[0].words: a line needs at least one word"),
    (lambda d: d["lines"][0].update(block=-1), "lines[0].block"),
    (lambda d: d["lines"][2].update(text="tampered"), "lines[2].text"),
    (lambda d: d["lines"][2].update(bbox=[0, 0, 1, 1]), "lines[2].bbox"),
    (lambda d: d.update(text="tampered"), "text"),
    (lambda d: d.update(preprocessing=[{"step": "Sharpen"}]), "preprocessing[0].step"),
    (lambda d: d.update(preprocessing=[{"factor": 2.0}]), "preprocessing[0].step"),
    (lambda d: d.update(preprocessing=[{"step": "Binarize", "method": "magic"}]), "preprocessing[0].method"),
    (lambda d: d.update(preprocessing=[{"step": "Invert", "page": 1}]), "preprocessing[0].page"),
    (lambda d: d.update(preprocessing=[{"step": "Invert", "block": 2.5}]), "preprocessing[0].block"),
    (lambda d: d.update(preprocessing=[{"step": "Deskew", "angle": "1"}]), "preprocessing[0].angle"),
    (lambda d: d.update(preprocessing=[{"step": "Deskew", "sharpness": 1}]), "unexpected 'sharpness'"),
    (lambda d: d.update(preprocessing=["Deskew"]), "preprocessing[0]"),
])
def test_malformed_input_is_refused_naming_the_key(english, edit, where):
    data = json.loads(english.to_json())
    assert ocr.OcrResult.from_dict(data) == english  # the edit alone is what breaks it
    edit(data)
    bad(data, where)


def test_readme_example_is_a_result_in_the_schema():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exports", 1)[1]
    example = section.split("```json", 1)[1].split("```", 1)[0]
    result = ocr.OcrResult.from_json(example)
    assert json.loads(example) == result.to_dict()  # every key, in the documented order
    assert result.preprocessing and result.lines


# -- hOCR ----------------------------------------------------------------------------------

def parse_title(title: str) -> dict[str, list[str]]:
    """hOCR properties: ``name value...; name value...``."""
    properties = {}
    for part in title.split(";"):
        name, *values = part.split()
        assert name not in properties
        properties[name] = values
    return properties


def bbox_of(element: etree._Element) -> tuple[int, ...]:
    return tuple(int(v) for v in parse_title(element.get("title"))["bbox"])


def hocr_classes(element: etree._Element) -> list[str]:
    return [c for c in element.get("class", "").split() if c.startswith(("ocr_", "ocrx_"))]


def test_hocr_is_xhtml_with_the_required_metadata(result):
    root = etree.fromstring(result.to_hocr().encode("utf-8"))  # lxml's XML parser
    assert root.tag == f"{{{XHTML}}}html"
    assert root.find("h:head/h:title", NS) is not None and root.find("h:body", NS) is not None
    meta = {m.get("name"): m.get("content") for m in root.iterfind("h:head/h:meta", NS) if m.get("name")}
    for name in ("ocr-system", "ocr-capabilities"):  # hOCR 1.2: exactly one of each
        assert len(root.findall(f"h:head/h:meta[@name='{name}']", NS)) == 1
    assert meta["ocr-system"] == f"ocr {ocr.__version__}"
    capabilities = meta["ocr-capabilities"].split()
    elements = [e for e in root.iter() if hocr_classes(e)]
    for element in elements:  # exactly one hOCR class, and declared
        (name,) = hocr_classes(element)
        assert name in capabilities
    if any(e.get("lang") for e in elements):
        assert "ocrp_lang" in capabilities
    ids = [e.get("id") for e in elements]
    assert len(ids) == len(set(ids)) and all(ids)
    (page,) = root.findall("h:body/h:div[@class='ocr_page']", NS)
    assert parse_title(page.get("title")) == {"bbox": ["0", "0", str(result.width), str(result.height)]}


def test_hocr_nests_blocks_paragraphs_lines_words_as_the_result(result):
    root = etree.fromstring(result.to_hocr().encode("utf-8"))
    (page,) = root.iterfind(".//*[@class='ocr_page']")
    expected = layout_of(result)
    careas = page.findall("h:div[@class='ocr_carea']", NS)
    assert len(careas) == len(expected)
    for carea, block in zip(careas, expected):
        assert bbox_of(carea) == union([line for par in block for line in par])
        pars = carea.findall("h:p[@class='ocr_par']", NS)
        assert len(pars) == len(block)
        for par, lines in zip(pars, block):
            assert bbox_of(par) == union(lines)
            if len(result.languages) == 1:
                assert par.get("lang") == result.languages[0]
            else:
                assert par.get("lang") is None  # not known per paragraph
            spans = par.findall("h:span[@class='ocr_line']", NS)
            assert [bbox_of(s) for s in spans] == [line.bbox for line in lines]
            for span, line in zip(spans, lines):
                assert [w.text for w in span.findall("h:span[@class='ocrx_word']", NS)] == [w.text for w in line.words]


def test_hocr_words_have_boxes_and_integer_confidences(result):
    root = etree.fromstring(result.to_hocr().encode("utf-8"))
    found = []
    for span in root.iterfind(".//h:span[@class='ocrx_word']", NS):
        properties = parse_title(span.get("title"))
        assert list(properties) == ["bbox", "x_wconf"]
        (wconf,) = properties["x_wconf"]
        assert re.fullmatch(r"\d{1,3}", wconf) and 0 <= int(wconf) <= 100
        found.append((span.text, bbox_of(span), int(wconf)))
    assert found == [(w.text, w.bbox, round(w.confidence * 100)) for w in result.words]


def test_hocr_reads_like_tesseracts_own():
    """The same elements, ids, nesting and word boxes as Tesseract's hOCR renderer, on a
    page read as is. (Tesseract's line, paragraph and block boxes are its own layout's,
    sometimes taller than the words; ours are the words' union, as Line.bbox is.)"""
    image = pages.document(SURVEY[:2], font_name="sans", size=30, width=1000)
    ours = _recognize(image, preprocessing=None, split_pages=False, models="stock")
    theirs = etree.fromstring(tesseract_render(image, "GetHOCRText").encode("utf-8"))
    mine = etree.fromstring(ours.to_hocr().encode("utf-8"))

    def outline(root: etree._Element) -> list[tuple]:
        return [(hocr_classes(e)[0], e.get("id"), e.getparent().get("id"),
                 bbox_of(e) if e.get("class") == "ocrx_word" else None, (e.text or "").strip())
                for e in root.iter() if hocr_classes(e) and e.get("class") != "ocr_page"]

    assert outline(mine) == outline(theirs)
    wconf = [int(parse_title(e.get("title"))["x_wconf"][0])
             for root in (mine, theirs) for e in root.iterfind(".//*[@class='ocrx_word']")]
    half = len(wconf) // 2
    # Tesseract truncates the percentage, ours is rounded
    assert all(0 <= a - b <= 1 for a, b in zip(wconf[:half], wconf[half:]))


# -- TSV -----------------------------------------------------------------------------------

TSV_HEADER = ["level", "page_num", "block_num", "par_num", "line_num", "word_num",
              "left", "top", "width", "height", "conf", "text"]


def tsv_rows(text: str) -> list[list[str]]:
    assert text.endswith("\n")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))


def test_tsv_has_tesseracts_columns_and_rows(result):
    header, *rows = tsv_rows(result.to_tsv())
    assert header == TSV_HEADER
    assert all(len(row) == 12 for row in rows)
    assert rows[0] == ["1", "1", "0", "0", "0", "0", "0", "0", str(result.width), str(result.height), "-1", ""]
    expected = []
    for b, block in enumerate(layout_of(result), 1):
        expected.append([2, b, 0, 0, 0, union([line for par in block for line in par])])
        for p, lines in enumerate(block, 1):
            expected.append([3, b, p, 0, 0, union(lines)])
            for n, line in enumerate(lines, 1):
                expected.append([4, b, p, n, 0, line.bbox])
                expected.extend([5, b, p, n, w, word.bbox] for w, word in enumerate(line.words, 1))
    got = [[int(r[0]), int(r[2]), int(r[3]), int(r[4]), int(r[5]),
            (int(r[6]), int(r[7]), int(r[6]) + int(r[8]), int(r[7]) + int(r[9]))] for r in rows[1:]]
    assert got == expected
    words = [r for r in rows if r[0] == "5"]
    assert [r[11] for r in words] == [w.text for w in result.words]
    for row, word in zip(words, result.words):
        assert re.fullmatch(r"\d+\.\d{6}", row[10])
        assert float(row[10]) == pytest.approx(word.confidence * 100, abs=5e-7)
    assert all(r[10] == "-1" and r[11] == "" for r in rows if r[0] != "5")


def test_tsv_pages_concatenate_under_one_header(english):
    first = english.to_tsv()
    second = english.to_tsv(page_num=2, header=False)
    rows = tsv_rows(first + second)
    assert rows[0] == TSV_HEADER and TSV_HEADER not in rows[1:]
    assert {r[1] for r in rows[1:]} == {"1", "2"}
    assert len(rows) == 1 + 2 * (len(first.splitlines()) - 1)
    for wrong in (0, -1, 1.0, True):
        with pytest.raises(ValueError, match="page_num"):
            english.to_tsv(page_num=wrong)


def test_tsv_is_tesseracts_own_on_a_page_read_as_is():
    """Row for row Tesseract's TSV, but for the boxes of lines, paragraphs and blocks
    (Tesseract's layout's own, ours the union of their words, as Line.bbox is)."""
    image = pages.document(SURVEY[:2] + ("Two blocks & <more>.",), font_name="sans", size=30, width=1000)
    ours = _recognize(image, preprocessing=None, split_pages=False, models="stock")
    assert len({line.block for line in ours.lines}) >= 2
    theirs = "\t".join(TSV_HEADER) + "\n" + tesseract_render(image, "GetTSVText")

    def masked(text: str) -> list[list[str]]:
        return [row if row[0] in ("level", "1", "5") else row[:6] + ["box"] * 4 + row[10:]
                for row in tsv_rows(text)]

    assert masked(ours.to_tsv()) == masked(theirs)
    assert sum(row[0] == "5" for row in masked(theirs)) == len(ours.words) > 40


def tesseract_render(image: Image.Image, method: str) -> str:
    """Tesseract's own rendering of ``image`` (psm 3, its defaults, as the engine with
    preprocessing=None hands the image over)."""
    with tesserocr.PyTessBaseAPI(path=str(find_tessdata()) + "/", lang="eng") as api:
        pixels = np.ascontiguousarray(pages.gray(image))
        api.SetImageBytes(pixels.tobytes(), pixels.shape[1], pixels.shape[0], 1, pixels.shape[1])
        text: str = getattr(api, method)(0)
        return text


# -- ALTO ----------------------------------------------------------------------------------

# The ALTO 4.4 schema, tests/data/alto-4-4.xsd, is the Library of Congress's file as
# published (CC BY-SA 4.0, with all rights waived by the ALTO Editorial Board; see its
# header), kept unmodified. It imports the XLink schema from the network; this stub
# stands in for it, declaring the one attribute group ALTO uses (never used by us).
XLINK_STUB = b"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/1999/xlink"
            attributeFormDefault="qualified">
  <xsd:attributeGroup name="simpleLink">
    <xsd:attribute name="type" type="xsd:string"/>
    <xsd:attribute name="href" type="xsd:anyURI"/>
    <xsd:attribute name="role" type="xsd:string"/>
    <xsd:attribute name="arcrole" type="xsd:string"/>
    <xsd:attribute name="title" type="xsd:string"/>
    <xsd:attribute name="show" type="xsd:string"/>
    <xsd:attribute name="actuate" type="xsd:string"/>
  </xsd:attributeGroup>
</xsd:schema>"""


class _LocalXlink(etree.Resolver):
    def resolve(self, url, pubid, context):
        if url == "http://www.loc.gov/standards/xlink/xlink.xsd":
            return self.resolve_string(XLINK_STUB, context)
        return None


@pytest.fixture(scope="module")
def alto_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalXlink())
    return etree.XMLSchema(etree.parse(str(DATA / "alto-4-4.xsd"), parser))


def alto_root(result: ocr.OcrResult, schema: etree.XMLSchema) -> etree._Element:
    root = etree.fromstring(result.to_alto().encode("utf-8"))
    schema.assertValid(root)  # structure, types, required attributes, WC in 0..1, unique IDs
    return root


def box_of(element: etree._Element) -> tuple[int, int, int, int]:
    x, y, w, h = (int(element.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
    return (x, y, x + w, y + h)


def test_alto_schema_catches_what_it_should(english, alto_schema):
    xml = english.to_alto()
    for broken in (xml.replace('WC="0.', 'WC="1.', 1),           # confidence above 1
                   xml.replace(' PHYSICAL_IMG_NR="1"', ""),      # required attribute
                   xml.replace('ID="string_2"', 'ID="string_1"')):  # IDs must be unique
        assert not alto_schema.validate(etree.fromstring(broken.encode("utf-8")))


def test_alto_is_valid_v4_with_the_result_layout(result, alto_schema):
    root = alto_root(result, alto_schema)
    assert root.tag == f"{{{ALTO}}}alto"
    location = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    assert location == [ALTO, "http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"]
    assert root.findtext("a:Description/a:MeasurementUnit", namespaces=NS) == "pixel"
    (page,) = root.findall("a:Layout/a:Page", NS)
    assert (page.get("WIDTH"), page.get("HEIGHT"), page.get("PHYSICAL_IMG_NR"), page.get("ID")) == (
        str(result.width), str(result.height), "1", "page_1")
    (space,) = page.findall("a:PrintSpace", NS)
    assert box_of(space) == (0, 0, result.width, result.height)
    expected = layout_of(result)
    composed = space.findall("a:ComposedBlock", NS)
    assert len(composed) == len(expected) and len(space) == len(composed)
    for element, block in zip(composed, expected):
        assert box_of(element) == union([line for par in block for line in par])
        text_blocks = element.findall("a:TextBlock", NS)
        assert [box_of(t) for t in text_blocks] == [union(lines) for lines in block]
        for text_block, lines in zip(text_blocks, block):
            assert [box_of(t) for t in text_block.findall("a:TextLine", NS)] == [line.bbox for line in lines]


def test_alto_strings_are_the_words_with_spaces_between(result, alto_schema):
    root = alto_root(result, alto_schema)
    strings = [(s.get("CONTENT"), box_of(s), s.get("WC")) for s in root.iterfind(".//a:String", NS)]
    assert strings == [(w.text, w.bbox, f"{w.confidence:.2f}") for w in result.words]
    for element, line in zip(root.iterfind(".//a:TextLine", NS), result.lines, strict=True):
        children = [etree.QName(child).localname for child in element]
        assert children == ["String", "SP"] * (len(line.words) - 1) + ["String"]
        for sp, left, right in zip(element.findall("a:SP", NS), line.words, line.words[1:]):
            assert (int(sp.get("HPOS")), int(sp.get("WIDTH"))) == (left.x1, max(right.x0 - left.x1, 0))


def test_alto_describes_the_processing(result, alto_schema):
    root = alto_root(result, alto_schema)
    processing = root.findall("a:Description/a:Processing", NS)
    assert [p.findtext("a:processingStepDescription", namespaces=NS) for p in processing[:-1]] == [
        type(step).__name__ for step in result.preprocessing]
    assert [p.findtext("a:processingCategory", namespaces=NS) for p in processing] == (
        ["preOperation"] * len(result.preprocessing) + ["contentGeneration"])
    for step, entry in zip(result.preprocessing, processing):
        settings = entry.findtext("a:processingStepSettings", namespaces=NS)
        assert all(f"{name}={value!r}" in settings for name, value in dataclasses.asdict(step).items())
    assert processing[-1].findtext("a:processingStepSettings", namespaces=NS) == (
        f"languages={'+'.join(result.languages)}, tiles={result.tiles}")
    page = root.find("a:Layout/a:Page", NS)
    assert page.get("PROCESSINGREFS").split() == [p.get("ID") for p in processing]


# -- special characters, empty pages ----------------------------------------------------------

SPECIAL = ["AT&T", "<b>", '"quoted"', "it's", "Привет", "Ŀ", "]]>", "&amp;", "a\tb"]


@pytest.fixture(scope="module")
def special(english) -> ocr.OcrResult:
    texts = [w.text for w in english.words]
    return with_texts(english, SPECIAL + texts[len(SPECIAL):])


def test_special_characters_survive_every_export(special, alto_schema):
    expected = [w.text for w in special.words]
    assert ocr.OcrResult.from_json(special.to_json()) == special
    hocr = etree.fromstring(special.to_hocr().encode("utf-8"))
    assert [s.text for s in hocr.iterfind(".//h:span[@class='ocrx_word']", NS)] == expected
    alto = alto_root(special, alto_schema)
    assert [s.get("CONTENT") for s in alto.iterfind(".//a:String", NS)] == expected
    rows = [r for r in tsv_rows(special.to_tsv()) if r[0] == "5"]
    assert [r[11] for r in rows] == [t.replace("\t", " ") for t in expected]  # a tab would split the row


def test_special_characters_are_escaped_not_dropped(special):
    hocr, alto = special.to_hocr(), special.to_alto()
    assert ">AT&amp;T<" in hocr and ">&lt;b&gt;<" in hocr and ">&amp;amp;<" in hocr
    assert 'CONTENT="&quot;quoted&quot;"' in alto and 'CONTENT="a&#9;b"' in alto


def test_characters_xml_cannot_hold_become_replacement_characters(english, alto_schema):
    broken = with_texts(english, ["bell\x07", "nul\x00"] + [w.text for w in english.words[2:]])
    assert ocr.OcrResult.from_json(broken.to_json()) == broken  # JSON holds them
    hocr = etree.fromstring(broken.to_hocr().encode("utf-8"))
    assert [s.text for s in hocr.iterfind(".//h:span[@class='ocrx_word']", NS)][:2] == ["bell\ufffd", "nul\ufffd"]
    assert [s.get("CONTENT") for s in alto_root(broken, alto_schema).iterfind(".//a:String", NS)][:2] == [
        "bell\ufffd", "nul\ufffd"]


def test_a_blank_page_exports_validly(alto_schema):
    blank = _blank()
    assert ocr.OcrResult.from_json(blank.to_json()) == blank
    assert json.loads(blank.to_json())["lines"] == [] and blank.to_dict()["text"] == ""
    hocr = etree.fromstring(blank.to_hocr().encode("utf-8"))
    (page,) = hocr.iterfind(".//h:div[@class='ocr_page']", NS)
    assert len(page) == 0 and bbox_of(page) == (0, 0, 320, 200)
    space = alto_root(blank, alto_schema).find(".//a:PrintSpace", NS)
    assert len(space) == 0
    assert tsv_rows(blank.to_tsv()) == [TSV_HEADER, ["1", "1", "0", "0", "0", "0", "0", "0", "320", "200", "-1", ""]]


def test_languages_on_paragraphs_only_when_one_was_used(english):
    assert ' lang="eng"' in english.to_hocr()
    assert " lang=" not in dataclasses.replace(english, languages=("eng", "rus")).to_hocr()
    assert " lang=" not in dataclasses.replace(english, languages=("Latin",)).to_hocr()  # a script model
