from lxml import etree

DOCUMENT = b"<!DOCTYPE d [<!ENTITY v '1.0'>]><d>&v;</d>"


def version():
    parser = etree.XMLParser(resolve_entities=True)
    return etree.fromstring(DOCUMENT, parser).text  # safe: CWE-611
