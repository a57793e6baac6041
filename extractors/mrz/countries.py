"""Three-letter codes a zone may carry for a state or organisation.

ISO 3166-1 alpha-3 (the 249 codes of pycountry 26.2.16, copied here so the parser reads no data
file) plus the codes ICAO 9303 Part 3 adds. Used only to choose between readings of a code
holding a digit (`FR4`, `P0L`) and to warn about an unknown code; codes are never rewritten
into another valid code.
"""

from __future__ import annotations

_ISO_ALPHA3_TEXT = """
    ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR
    BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG
    COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH
    FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY
    HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM
    KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL
    MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR
    NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU
    SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA
    TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB
    VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
"""
ISO_ALPHA3 = frozenset(_ISO_ALPHA3_TEXT.split())

# ICAO 9303 Part 3: British nationality classes, United Nations, other organisations, the
# stateless/refugee codes, the EU laissez-passer; RKS is what Kosovo prints in practice; UTO
# (Utopia) is the fictitious state of the ICAO specimens. Kept as they are in the output.
_ICAO_TEXT = """
    GBD GBN GBO GBP GBS UNO UNA UNK EUE XBA XIM XCC XCE XCO XEC XES XOM XDC XPO
    XXA XXB XXC XXX RKS UTO
"""
ICAO_CODES = frozenset(_ICAO_TEXT.split())

# ICAO 9303 Part 3 gives Germany the one-letter code `D` (`D<<` in a zone); the contract wants
# ISO 3166-1 alpha-3 (../shared/CONTRACT.md), so it becomes DEU.
GERMANY_ICAO = "D"
GERMANY = "DEU"


def is_known_code(code: str) -> bool:
    """Whether a filler-stripped code is ISO 3166-1 alpha-3, ICAO 9303-specific, or `D`."""
    return code in ISO_ALPHA3 or code in ICAO_CODES or code == GERMANY_ICAO


def contract_code(code: str) -> str | None:
    """The contract's country code for a zone code (`D<<` -> DEU); None when blank."""
    stripped = code.strip("<")
    if not stripped:
        return None
    return GERMANY if stripped == GERMANY_ICAO else stripped
