from lxml import etree


def load_invoice(path):
    """Invoices are uploaded by suppliers and stored on disk before this runs."""
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
    return etree.parse(path, parser)  # expect: CWE-611
