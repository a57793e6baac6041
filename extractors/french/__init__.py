"""Pure French-language helpers shared by the field extractors: dates, amounts, nationalities,
person names, company identifiers, legal forms and officer roles.

Every function here is a pure transform (no I/O, no clock, no settings): reference dates are
parameters, and an unreadable value is `None`, never a guess (../shared/CONTRACT.md).
"""
