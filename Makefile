# Common Ground. The main commands are scripts/start and scripts/test (see README.md).
PYTHON ?= .venv/bin/python

.PHONY: help extract_translations dummy_translations compile_translations

help:
	@echo "extract_translations  strings of the XBlocks (and the coursepack texts they show) -> xblocks/translations/en/LC_MESSAGES/text.po"
	@echo "dummy_translations    a pseudo-translation (eo) to spot untranslated text"
	@echo "compile_translations  every xblocks/translations/*/LC_MESSAGES/text.po -> text.mo"

extract_translations:
	$(PYTHON) -m xblocks.dev.i18n extract

dummy_translations: extract_translations
	$(PYTHON) -m xblocks.dev.i18n dummy

compile_translations:
	$(PYTHON) -m xblocks.dev.i18n compile
