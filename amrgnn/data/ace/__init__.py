"""ACE2005 (LDC2006T06) and Rich ERE from the LDC releases -> OneIE-layout JSON lines: source text
with exact offset maps (:mod:`.source`), annotation files (:mod:`.apf`, :mod:`.ere`), the offset
convention decided and verified span by span (:mod:`.offsets`), sentences on exact token
boundaries (:mod:`.sentences`), the variants (:mod:`.variants`), the conversion with its counts
(:mod:`.convert`), the standard splits (:mod:`.splits`, read from the shared data folder) and the command's driver (:mod:`.prepare`).
"""

from .convert import Counts, convert_document
from .errors import SourceFormatError
from .prepare import prepare_ace2005
from .source import read_source
from .variants import VARIANTS

__all__ = ["VARIANTS", "Counts", "SourceFormatError", "convert_document", "prepare_ace2005", "read_source"]
