import ssl
import urllib.request


def download(url):
    context = ssl._create_unverified_context()  # expect: CWE-295
    return urllib.request.urlopen(url, context=context).read()
